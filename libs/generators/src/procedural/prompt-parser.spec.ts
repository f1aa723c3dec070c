import { describe, expect, it } from 'vitest';
import { parsePrompt } from './prompt-parser.js';
import type { SceneRequest } from './scene.js';

describe('parsePrompt', () => {
  it.each<[string, SceneRequest]>([
    [
      'a red circle on a blue background',
      { objects: [{ colour: 'red', shape: 'circle' }], background: 'blue' },
    ],
    ['a photo of a red circle', { objects: [{ colour: 'red', shape: 'circle' }] }],
    [
      'red circle, blue backdrop, striped',
      { objects: [{ colour: 'red', shape: 'circle' }], background: 'blue', style: 'striped' },
    ],
    [
      'a red circle to the left of a blue square',
      {
        objects: [
          { colour: 'red', shape: 'circle' },
          { colour: 'blue', shape: 'square' },
        ],
        relation: 'left of',
      },
    ],
    [
      'a green star above a yellow heart on a white background, blurred',
      {
        objects: [
          { colour: 'green', shape: 'star' },
          { colour: 'yellow', shape: 'heart' },
        ],
        background: 'white',
        style: 'blurred',
        relation: 'above',
      },
    ],
    [
      'A Photo of GREY Crosses!!! On a PINK backdrop.',
      { objects: [{ colour: 'gray', shape: 'cross' }], background: 'pink' },
    ],
    ['a red circle in watercolour style', { objects: [{ colour: 'red', shape: 'circle' }] }],
    [
      'an orange hexagon, pixelated',
      { objects: [{ colour: 'orange', shape: 'hexagon' }], style: 'pixelated' },
    ],
    ['a striped red circle', { objects: [{ colour: 'red', shape: 'circle' }], style: 'striped' }],
    ['a red striped circle', { objects: [{ colour: 'red', shape: 'circle' }], style: 'striped' }],
    ['a circle in purple', { objects: [{ colour: 'purple', shape: 'circle' }] }],
    ['a diamond on a background of brown', { objects: [{ shape: 'diamond' }], background: 'brown' }],
    ['something black', { objects: [{ colour: 'black' }] }],
    ['a star', { objects: [{ shape: 'star' }] }],
    ['sepia', { objects: [], style: 'sepia' }],
    ['a white background', { objects: [], background: 'white' }],
    [
      'a pink triangle under a brown diamond',
      {
        objects: [
          { colour: 'pink', shape: 'triangle' },
          { colour: 'brown', shape: 'diamond' },
        ],
        relation: 'below',
      },
    ],
    [
      'a gray hexagon to the right of a black star, greyscale',
      {
        objects: [
          { colour: 'gray', shape: 'hexagon' },
          { colour: 'black', shape: 'star' },
        ],
        style: 'grayscale',
        relation: 'right of',
      },
    ],
    ['polka dots on a yellow heart', { objects: [{ colour: 'yellow', shape: 'heart' }], style: 'dotted' }],
  ])('%s', (prompt, expected) => {
    expect(parsePrompt(prompt)).toEqual(expected);
  });

  it('parses an empty or meaningless prompt to an empty request', () => {
    expect(parsePrompt('')).toEqual({ objects: [] });
    expect(parsePrompt('   ,.;!  ')).toEqual({ objects: [] });
    expect(parsePrompt('in watercolour style, trending on artstation')).toEqual({ objects: [] });
  });

  it('takes a relation only when a second object follows it', () => {
    expect(parsePrompt('a red circle on the left')).toEqual({
      objects: [{ colour: 'red', shape: 'circle' }],
    });
  });

  it('keeps at most two objects', () => {
    expect(parsePrompt('a red circle, a blue square and a green star').objects).toEqual([
      { colour: 'red', shape: 'circle' },
      { colour: 'blue', shape: 'square' },
    ]);
  });
});

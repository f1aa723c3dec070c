import { describe, expect, it } from 'vitest';
import { COLOURS, HELD_OUT, isHeldOut, SHAPES } from './vocabulary.js';

describe('HELD_OUT', () => {
  it('holds about eight colour–shape and eight colour–background pairs, none repeated', () => {
    expect(HELD_OUT.colourShape).toHaveLength(8);
    expect(HELD_OUT.colourBackground).toHaveLength(8);
    const keys = [...HELD_OUT.colourShape, ...HELD_OUT.colourBackground].map((pair) => pair.join('/'));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('never pairs an object with a background of its own colour', () => {
    for (const [colour, background] of HELD_OUT.colourBackground) expect(colour).not.toBe(background);
  });

  it('holds out each colour and each shape in at most one colour–shape pair, so training sees the rest', () => {
    for (const colour of COLOURS)
      expect(HELD_OUT.colourShape.filter(([c]) => c === colour).length).toBeLessThan(2);
    for (const shape of SHAPES)
      expect(HELD_OUT.colourShape.filter(([, s]) => s === shape).length).toBeLessThan(2);
  });
});

describe('isHeldOut', () => {
  it('flags a held-out colour–shape pair on either object', () => {
    expect(isHeldOut({ background: 'white', objects: [{ colour: 'red', shape: 'star' }] })).toBe(true);
    expect(
      isHeldOut({
        background: 'white',
        objects: [
          { colour: 'blue', shape: 'circle' },
          { colour: 'red', shape: 'star' },
        ],
      }),
    ).toBe(true);
  });

  it('flags a held-out colour–background pair', () => {
    expect(isHeldOut({ background: 'green', objects: [{ colour: 'red', shape: 'circle' }] })).toBe(true);
  });

  it('passes pairs that are only half held out', () => {
    expect(isHeldOut({ background: 'blue', objects: [{ colour: 'red', shape: 'circle' }] })).toBe(false);
    expect(isHeldOut({ background: 'green', objects: [{ colour: 'blue', shape: 'star' }] })).toBe(false);
    expect(isHeldOut({ background: 'green', objects: [] })).toBe(false);
  });
});

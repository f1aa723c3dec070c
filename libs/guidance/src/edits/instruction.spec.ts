import { describe, expect, it } from 'vitest';
import { parseInstruction } from './instruction.js';
import { OPERATORS } from './operator-registry.js';

describe('parseInstruction', () => {
  it.each([
    ['make the circle green', 'a circle', 'a green circle', 'recolour'],
    ['Make the circle GREEN.', 'a circle', 'a green circle', 'recolour'],
    ['please turn the square into orange', 'a square', 'an orange square', 'recolour'],
    ['paint the star in blue', 'a star', 'a blue star', 'recolour'],
    ['change the colour of the heart to pink', 'a heart', 'a pink heart', 'recolour'],
    ['change the color of the heart to pink', 'a heart', 'a pink heart', 'recolour'],
    [
      'colour the big triangle on the left grey',
      'a big triangle on the left',
      'a big grey triangle on the left',
      'recolour',
    ],
    ['make the background more yellow', 'a background', 'a yellow background', 'recolour'],
    ['make it red', 'a picture', 'a red picture', 'recolour'],
    ['turn this photo purple', 'a picture', 'a purple picture', 'recolour'],
    ['make it black', 'a picture', 'a black picture', 'recolour'],
    ['black and white', 'a plain photo', 'a grayscale photo', 'grayscale'],
    ['make it black & white', 'a plain photo', 'a grayscale photo', 'grayscale'],
    ['convert to greyscale', 'a plain photo', 'a grayscale photo', 'grayscale'],
    ['monochrome please', 'a plain photo', 'a grayscale photo', 'grayscale'],
    ['sepia style', 'a plain picture', 'a sepia picture', 'sepia'],
    ['give it a vintage look', 'a plain picture', 'a sepia picture', 'sepia'],
    ['blur the background', 'a plain picture', 'a picture with a blurred background', 'background-blur'],
    ['blurred', 'a plain picture', 'a blurred picture', 'blur'],
    ['make it blurry', 'a plain picture', 'a blurred picture', 'blur'],
    ['out of focus', 'a plain picture', 'a blurred picture', 'blur'],
    ['sharpen it', 'a plain picture', 'a sharp, detailed picture', 'sharpen'],
    ['pixelated', 'a plain picture', 'a pixelated picture', 'pixelate'],
    ['pixelate it', 'a plain picture', 'a pixelated picture', 'pixelate'],
    ['make it look 8-bit', 'a plain picture', 'a pixelated picture', 'pixelate'],
    ['add film grain', 'a plain picture', 'a noisy picture', 'noise'],
    ['invert the colours', 'a plain picture', 'an inverted picture', 'invert'],
    ['make it a negative', 'a plain picture', 'an inverted picture', 'invert'],
    ['warmer', 'a plain picture', 'a warm picture', 'warmer'],
    ['make it cooler', 'a plain picture', 'a cool picture', 'cooler'],
    ['more contrast', 'a plain picture', 'a high contrast picture', 'more-contrast'],
    ['increase the contrast', 'a plain picture', 'a high contrast picture', 'more-contrast'],
    ['reduce the contrast', 'a plain picture', 'a low contrast picture', 'less-contrast'],
    ['make it more vivid', 'a plain picture', 'a vivid, colourful picture', 'more-saturated'],
    ['make it less saturated', 'a plain picture', 'a muted picture', 'less-saturated'],
    ['brighter', 'a plain picture', 'a bright picture', 'brighter'],
    ['darken it', 'a plain picture', 'a dark picture', 'darker'],
    ['posterize', 'a plain picture', 'a posterized picture', 'posterize'],
    ['make it look like a dog', 'a picture', 'a picture, make it look like a dog', 'fallback'],
  ])('%j → %j → %j (%s)', (instruction, source, target, rule) => {
    const parsed = parseInstruction(instruction);
    expect([parsed.sourceText, parsed.targetText, parsed.rule]).toEqual([source, target, rule]);
  });

  it('names the colour to paint with and the operators to try first', () => {
    expect(parseInstruction('make the circle green')).toMatchObject({
      colour: 'green',
      operators: ['recolour', 'hue', 'tint'],
    });
    expect(parseInstruction('black and white')).toMatchObject({
      colour: null,
      operators: ['grayscale', 'saturation'],
    });
    expect(parseInstruction('what is this')).toMatchObject({ colour: null, operators: [] });
  });

  it('suggests only operators that exist', () => {
    const known = new Set(OPERATORS.map((o) => o.name));
    const instructions = [
      'make it red',
      'black and white',
      'sepia',
      'blur the background',
      'blurred',
      'sharpen',
      'pixelated',
      'noisy',
      'invert',
      'posterize',
      'warmer',
      'cooler',
      'less contrast',
      'more contrast',
      'muted',
      'vivid',
      'brighter',
      'darker',
    ];
    for (const instruction of instructions) {
      const { operators, rule } = parseInstruction(instruction);
      expect(rule).not.toBe('fallback');
      for (const name of operators) expect(known.has(name), `${instruction}: ${name}`).toBe(true);
    }
  });

  it('lets explicit texts override either side', () => {
    expect(parseInstruction('make the circle green', { targetText: 'a lime circle' })).toMatchObject({
      sourceText: 'a circle',
      targetText: 'a lime circle',
    });
    expect(parseInstruction('anything', { sourceText: ' a cat ', targetText: 'a dog' })).toMatchObject({
      sourceText: 'a cat',
      targetText: 'a dog',
    });
    expect(parseInstruction('warmer', { sourceText: '  ' }).sourceText).toBe('a plain picture');
  });

  it('refuses an empty instruction', () => {
    expect(() => parseInstruction('  ')).toThrow(/non-empty/);
  });
});

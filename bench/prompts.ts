import { random } from './images.js';

const SUBJECTS = [
  'cat',
  'dog',
  'lighthouse',
  'bicycle',
  'mountain lake',
  'red car',
  'old man',
  'street market',
  'forest',
  'teapot',
  'robot',
  'sailboat',
  'city skyline',
  'bowl of fruit',
  'violin',
  'castle',
];
const ADJECTIVES = [
  'small',
  'bright',
  'misty',
  'vintage',
  'colourful',
  'quiet',
  'busy',
  'golden',
  'snowy',
  'wooden',
  'shiny',
  'ancient',
  'modern',
  'dark',
  'sunlit',
  'tiny',
];
const PLACES = [
  'on a beach',
  'in the rain',
  'at sunset',
  'under the stars',
  'in a garden',
  'on a table',
  'in the snow',
  'near a river',
  'in a studio',
  'on a hill',
];
const STYLES = ['a photo of', 'a painting of', 'a sketch of', 'a close-up of', 'a render of', 'a picture of'];
const DETAILS = [
  'with soft light',
  'in high detail',
  'with a blurred background',
  'seen from above',
  'in warm colours',
  'with long shadows',
  'shot on film',
  'with reflections in the water',
  'surrounded by people',
  'covered in moss',
  'next to a window',
  'during a storm',
];

function pick<T>(list: readonly T[], rnd: () => number): T {
  return list[Math.floor(rnd() * list.length)]!;
}

/** Distinct prompts of 7–10 words: "a photo of a misty lighthouse at sunset" (15,360 possible). */
export function shortPrompts(count: number, seed: number): string[] {
  const rnd = random(seed);
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < count) {
    const text = [pick(STYLES, rnd), 'a', pick(ADJECTIVES, rnd), pick(SUBJECTS, rnd), pick(PLACES, rnd)].join(
      ' ',
    );
    if (!seen.has(text)) {
      seen.add(text);
      out.push(text);
    }
  }
  return out;
}

/** Distinct long prompts of well over 60 tokens (they are truncated to the 77-token context). */
export function longPrompts(count: number, seed: number): string[] {
  const rnd = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const parts = [
      `${pick(STYLES, rnd)} a ${pick(ADJECTIVES, rnd)} ${pick(SUBJECTS, rnd)} ${pick(PLACES, rnd)}`,
    ];
    while (parts.join(', ').split(' ').length < 58) {
      parts.push(
        `${pick(DETAILS, rnd)} and a ${pick(ADJECTIVES, rnd)} ${pick(SUBJECTS, rnd)} ${pick(PLACES, rnd)}`,
      );
    }
    return `${parts.join(', ')}, variation ${i}`;
  });
}

import type { GeneratorsQuery } from '../gql/graphql';

type Sizes = GeneratorsQuery['generators'][number]['capabilities']['sizes'];

const SHAPES: readonly [number, number][] = [
  [256, 256],
  [384, 384],
  [512, 512],
  [768, 768],
  [1024, 1024],
  [768, 512],
  [512, 768],
];

/** The common sizes every chosen generator can draw. */
export function sizesFor(chosen: readonly Sizes[]): [number, number][] {
  return SHAPES.filter(([w, h]) =>
    chosen.every(
      (s) =>
        w >= s.minWidth &&
        w <= s.maxWidth &&
        h >= s.minHeight &&
        h <= s.maxHeight &&
        w % s.multipleOf === 0 &&
        h % s.multipleOf === 0,
    ),
  );
}

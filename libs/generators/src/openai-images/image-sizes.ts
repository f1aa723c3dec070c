import type { GeneratorCapabilities } from '../contract.js';

/** The sizes OpenAI documents per model family (gpt-image-1, -1-mini, -1.5 share theirs). */
const DOCUMENTED_SIZES: Readonly<Record<string, readonly string[]>> = {
  'dall-e-2': ['256x256', '512x512', '1024x1024'],
  'dall-e-3': ['1024x1024', '1792x1024', '1024x1792'],
  'gpt-image': ['1024x1024', '1536x1024', '1024x1536'],
};

/** For other models (compatible servers): every size OpenAI's own models share between them. */
const COMMON_SIZES = ['256x256', '512x512', '1024x1024', '1536x1024', '1024x1536'];

export const SIZE_PATTERN = /^([1-9]\d*)x([1-9]\d*)$/;

export function documentedSizes(model: string): readonly string[] {
  return DOCUMENTED_SIZES[model.startsWith('gpt-image') ? 'gpt-image' : model] ?? COMMON_SIZES;
}

/** The tightest range capabilities can state around a list of exact sizes. */
export function sizeRange(sizes: readonly string[]): GeneratorCapabilities['sizes'] {
  const pairs = sizes.map((size) => SIZE_PATTERN.exec(size)!.slice(1).map(Number) as [number, number]);
  const widths = pairs.map(([w]) => w);
  const heights = pairs.map(([, h]) => h);
  return {
    minWidth: Math.min(...widths),
    maxWidth: Math.max(...widths),
    minHeight: Math.min(...heights),
    maxHeight: Math.max(...heights),
    multipleOf: [...widths, ...heights].reduce(gcd),
  };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The `size` to send: none when the request names none; a square when it names one side only. The
 * API takes exact sizes only: the caller must pick one of them (see the plugin).
 */
export function requestedSize(width: number | undefined, height: number | undefined): string | undefined {
  if (width === undefined && height === undefined) return undefined;
  return `${width ?? height}x${height ?? width}`;
}

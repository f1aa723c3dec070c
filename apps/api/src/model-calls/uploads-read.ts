import type { ImageInput } from '../images/image-input.type.js';

/**
 * A copy of a call's input that can travel as JSON: each image given as an upload (a stream of this
 * request, which no other process can read) becomes what `read` makes of it; the rest is copied as is.
 */
export async function withUploadsRead<T>(
  value: T,
  read: (image: ImageInput) => Promise<ImageInput>,
): Promise<T> {
  return (await copy(value, read)) as T;
}

async function copy(value: unknown, read: (image: ImageInput) => Promise<ImageInput>): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((item) => copy(item, read)));
  if (value === null || typeof value !== 'object') return value;
  if ('upload' in value && value.upload !== null && value.upload !== undefined)
    return read(value as ImageInput);
  const entries = await Promise.all(
    Object.entries(value).map(async ([key, item]) => [key, await copy(item, read)] as const),
  );
  return Object.fromEntries(entries);
}

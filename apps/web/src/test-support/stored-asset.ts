import type { AssetByIdQuery } from '../gql/graphql';

type StoredAsset = NonNullable<AssetByIdQuery['asset']>;

/** An asset as `AssetById` answers it: a generated 64 × 64 image with nothing else known, unless overridden. */
export function storedAsset(id: string, overrides: Partial<StoredAsset> = {}): StoredAsset {
  return {
    id,
    url: `/assets/${id}`,
    width: 64,
    height: 64,
    source: 'generated',
    prompt: null,
    generator: null,
    seed: null,
    scores: null,
    parameters: null,
    editedFrom: null,
    createdAt: '',
    ...overrides,
  };
}

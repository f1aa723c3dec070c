import type { AssetRecord } from '../assets/asset-record.js';
import type { Asset } from './asset.type.js';

/** The GraphQL view of a stored asset; its `url` is resolved by AssetUrlResolver (signed where needed). */
export function assetView(record: AssetRecord): Asset {
  return {
    id: record.id,
    width: record.width,
    height: record.height,
    mime: record.mimeType,
    bytes: record.byteSize,
    source: record.source,
    createdAt: record.createdAt,
    prompt: record.prompt,
    generator: record.generatorId,
    seed: record.seed,
    parameters: record.parameters,
    scores: record.scores,
    editedFrom: record.editedFrom,
    generationId: record.generationId,
  };
}

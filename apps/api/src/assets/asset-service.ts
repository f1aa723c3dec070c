import type { Readable } from 'node:stream';
import { type VerifiedImage, verifyImage } from '#clip';
import { Inject, Injectable } from '@nestjs/common';
import type {
  AssetListArgs,
  AssetMetadata,
  AssetPage,
  AssetRecord,
  CaptionRecord,
  NewCaption,
} from './asset-record.js';
import { AssetRepository } from './asset-repository.js';
import { ASSETS_OPTIONS, type AssetsOptions } from './assets-options.js';
import { CaptionRepository } from './caption-repository.js';
import { type AssetEmbedding, EmbeddingIndex } from './embedding-index.js';
import { FileStore } from './file-store.js';

/** File extensions of the formats verifyImage accepts, by MIME type. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
  'image/tiff': 'tiff',
};

/** A stored asset and how near it is to a query. */
export interface AssetMatch {
  record: AssetRecord;
  /** Cosine to the query. */
  score: number;
}

/**
 * Stores images (generated, uploaded, edited) and gives them back: the file first, then the row, then
 * what is known about it (its CLIP embedding, captions scored on it).
 */
@Injectable()
export class AssetService {
  constructor(
    @Inject(FileStore) private readonly files: FileStore,
    @Inject(AssetRepository) private readonly repository: AssetRepository,
    @Inject(CaptionRepository) private readonly captionRows: CaptionRepository,
    @Inject(EmbeddingIndex) private readonly embeddings: EmbeddingIndex,
    @Inject(ASSETS_OPTIONS) private readonly options: AssetsOptions,
  ) {}

  /**
   * Checks bytes that arrive on their own (an upload) are a whole image within the store's limits
   * (ImageInputError otherwise): the one decode they get.
   */
  verify(bytes: Uint8Array): Promise<VerifiedImage> {
    return verifyImage(bytes, this.options.imageLimits);
  }

  /** Verifies bytes that arrive on their own, then stores them (see verify and store). */
  async storeBytes(bytes: Uint8Array, metadata: AssetMetadata): Promise<AssetRecord> {
    return this.store(await this.verify(bytes), metadata);
  }

  /**
   * Stores a verified image (its hash is the id; nothing is decoded or hashed again). The file lands
   * before the row, so a row always has its file; a crash between the two leaves only a file that
   * storing the bytes again adopts. Bytes already stored return the record as first stored (see
   * AssetRepository.insert). An embedding given with the image makes the asset findable by searchAssets.
   */
  async store(
    image: VerifiedImage,
    metadata: AssetMetadata,
    embedding?: AssetEmbedding,
  ): Promise<AssetRecord> {
    const { bytes } = image;
    const id = await this.files.write(bytes, extensionOf(image.mimeType), image.sha256);
    const record = await this.repository.insert({
      ...metadata,
      id,
      mimeType: image.mimeType,
      width: image.width,
      height: image.height,
      byteSize: bytes.byteLength,
    });
    if (embedding) await this.embeddings.add(record.id, embedding);
    return record;
  }

  /** The record of an asset; null for an unknown id or one that is not an id at all. */
  get(id: string): Promise<AssetRecord | null> {
    return this.repository.get(id);
  }

  /** The record and a stream of the bytes; null for an unknown id. Consume or destroy the stream. */
  async open(id: string): Promise<{ record: AssetRecord; stream: Readable } | null> {
    const record = await this.repository.get(id);
    if (!record) return null;
    return { record, stream: await this.files.open(record.id, extensionOf(record.mimeType)) };
  }

  list(args: AssetListArgs): Promise<AssetPage> {
    return this.repository.list(args);
  }

  addCaption(assetId: string, caption: NewCaption): Promise<CaptionRecord> {
    return this.captionRows.add(assetId, caption);
  }

  /** Captions recorded on an asset, oldest first. */
  captions(assetId: string): Promise<CaptionRecord[]> {
    return this.captionRows.of(assetId);
  }

  /** The `k` stored assets whose embeddings (by the query's model) are nearest to the query, best first. */
  async nearest(query: AssetEmbedding, k: number): Promise<AssetMatch[]> {
    const hits = await this.embeddings.nearest(query, k);
    const records = await Promise.all(hits.map((hit) => this.repository.get(hit.id)));
    return hits.flatMap((hit, i) => {
      const record = records[i];
      return record ? [{ record, score: hit.score }] : [];
    });
  }
}

function extensionOf(mimeType: string): string {
  const ext = EXTENSIONS[mimeType];
  if (!ext) throw new Error(`no file extension for ${mimeType}`);
  return ext;
}

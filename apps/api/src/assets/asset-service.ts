import type { Readable } from 'node:stream';
import { verifyImage } from '#clip';
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

/** Stores images (generated, uploaded, edited) and gives them back: the file first, then the row. */
@Injectable()
export class AssetService {
  constructor(
    @Inject(FileStore) private readonly files: FileStore,
    @Inject(AssetRepository) private readonly repository: AssetRepository,
    @Inject(ASSETS_OPTIONS) private readonly options: AssetsOptions,
  ) {}

  /**
   * Verifies the bytes are a whole image within the limits (ImageInputError otherwise, with nothing
   * stored), then stores them. The file lands before the row, so a row always has its file; a crash
   * between the two leaves only a file that storing the bytes again adopts. Bytes already stored
   * return the record as first stored (see AssetRepository.insert).
   */
  async store(bytes: Uint8Array, metadata: AssetMetadata): Promise<AssetRecord> {
    const image = await verifyImage(bytes, this.options.imageLimits);
    const id = await this.files.write(bytes, extensionOf(image.mimeType));
    return this.repository.insert({
      ...metadata,
      id,
      mimeType: image.mimeType,
      width: image.width,
      height: image.height,
      byteSize: bytes.byteLength,
    });
  }

  /** The record of an asset; null for an unknown id or one that is not an id at all. */
  get(id: string): AssetRecord | null {
    return this.repository.get(id);
  }

  /** The record and a stream of the bytes; null for an unknown id. Consume or destroy the stream. */
  async open(id: string): Promise<{ record: AssetRecord; stream: Readable } | null> {
    const record = this.repository.get(id);
    if (!record) return null;
    return { record, stream: await this.files.open(record.id, extensionOf(record.mimeType)) };
  }

  list(args: AssetListArgs): AssetPage {
    return this.repository.list(args);
  }

  addCaption(assetId: string, caption: NewCaption): CaptionRecord {
    return this.repository.addCaption(assetId, caption);
  }

  captions(assetId: string): CaptionRecord[] {
    return this.repository.captions(assetId);
  }
}

function extensionOf(mimeType: string): string {
  const ext = EXTENSIONS[mimeType];
  if (!ext) throw new Error(`no file extension for ${mimeType}`);
  return ext;
}

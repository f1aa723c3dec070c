import type { Readable } from 'node:stream';
import { type VerifiedImage, verifyImage } from '#clip';
import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { FileUpload } from 'graphql-upload/Upload.mjs';
import { AssetService } from '../assets/asset-service.js';
import { APP_CONFIG, type AppConfig, imageLimitsOf } from '../config/app-config.js';
import { ApiError } from '../errors/api-error.js';
import { UrlImageFetcher } from '../url-fetch/url-fetcher.js';
import type { ImageInput } from './image-input.type.js';

/** The image from whichever source the client chose, verified, and the stored asset when it named one. */
export interface ResolvedImage {
  image: VerifiedImage;
  assetId: string | null;
}

/**
 * Turns a GraphQL ImageInput into a verified image, enforcing the upload limit on every path: the one
 * place an input image is decoded. What follows (CLIP, the edit operators, the store) reuses it.
 */
@Injectable()
export class ImageInputService {
  /**
   * Images a job's submission just verified and stored, by asset id, so the run that follows moments
   * later in this process starts from them instead of decoding the file again. A hand-off, not a cache:
   * few entries, short-lived; a miss (another node, a restart) only costs one decode.
   */
  private readonly handedOff = new LRUCache<string, VerifiedImage>({ max: 16, ttl: 60_000 });

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AssetService) private readonly assets: AssetService,
    @Inject(UrlImageFetcher) private readonly urls: UrlImageFetcher,
  ) {}

  async resolve(input: ImageInput, signal?: AbortSignal): Promise<ResolvedImage> {
    const handedOff = input.assetId ? this.handedOff.get(input.assetId) : undefined;
    if (handedOff) return { image: handedOff, assetId: input.assetId! };
    const { bytes, assetId } = await this.bytesOf(input, signal);
    return { image: await verifyImage(bytes, imageLimitsOf(this.config.limits)), assetId };
  }

  /** Keeps `image`, stored as `assetId`, for the run about to resolve it (see handedOff). */
  handOff(assetId: string, image: VerifiedImage): void {
    this.handedOff.set(assetId, image);
  }

  /**
   * The input as another process can take it (a model call queued for a worker): an upload, a stream of
   * this request, is read here within MAX_UPLOAD_BYTES into base64; any other source goes as it is, to
   * be checked where it is resolved.
   */
  async portable(input: ImageInput): Promise<ImageInput> {
    if (!input.upload || sourcesOf(input).length !== 1) return input;
    return { base64: (await this.fromUpload(await input.upload)).toString('base64') };
  }

  private async bytesOf(
    input: ImageInput,
    signal: AbortSignal | undefined,
  ): Promise<{ bytes: Buffer; assetId: string | null }> {
    const given = sourcesOf(input);
    if (given.length !== 1) {
      throw new ApiError(
        'BAD_REQUEST',
        `an image needs exactly one of assetId, base64, url, upload (got ${given.length})`,
      );
    }
    switch (given[0]) {
      case 'assetId':
        return { bytes: await this.fromAsset(input.assetId!), assetId: input.assetId! };
      case 'base64':
        return { bytes: this.fromBase64(input.base64!), assetId: null };
      case 'url':
        return { bytes: (await this.urls.fetchImage(input.url!, signal)).bytes, assetId: null };
      default:
        return { bytes: await this.fromUpload(await input.upload!), assetId: null };
    }
  }

  private async fromAsset(id: string): Promise<Buffer> {
    const opened = await this.assets.open(id);
    if (!opened) throw new ApiError('NOT_FOUND', `no asset ${id}`);
    return readAll(opened.stream, this.config.limits.maxUploadBytes);
  }

  private fromBase64(text: string): Buffer {
    const body = text.startsWith('data:') ? text.slice(text.indexOf(',') + 1) : text;
    // Refuse before decoding: 4 base64 characters carry 3 bytes.
    if (Math.floor((body.length * 3) / 4) > this.config.limits.maxUploadBytes + 3) throw this.tooLarge();
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(body.replace(/\s+/g, ''))) {
      throw new ApiError('BAD_IMAGE', 'base64 holds characters outside the base64 alphabet');
    }
    return Buffer.from(body, 'base64');
  }

  private async fromUpload(upload: FileUpload): Promise<Buffer> {
    return readAll(upload.createReadStream(), this.config.limits.maxUploadBytes);
  }

  private tooLarge(): ApiError {
    return new ApiError(
      'IMAGE_TOO_LARGE',
      `the image exceeds the upload limit of ${this.config.limits.maxUploadBytes} bytes (MAX_UPLOAD_BYTES)`,
    );
  }
}

/** Which of the sources an input names; a valid one names exactly one. */
function sourcesOf(input: ImageInput): ('assetId' | 'base64' | 'url' | 'upload')[] {
  return (['assetId', 'base64', 'url', 'upload'] as const).filter(
    (k) => input[k] !== undefined && input[k] !== null,
  );
}

async function readAll(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      total += buffer.length;
      if (total > maxBytes) {
        stream.destroy();
        throw new ApiError(
          'IMAGE_TOO_LARGE',
          `the image exceeds the upload limit of ${maxBytes} bytes (MAX_UPLOAD_BYTES)`,
        );
      }
      chunks.push(buffer);
    }
  } catch (error) {
    // graphql-upload ends an over-limit file stream with an HTTP 413 error.
    if ((error as { status?: number }).status === 413) {
      throw new ApiError(
        'IMAGE_TOO_LARGE',
        `the image exceeds the upload limit of ${maxBytes} bytes (MAX_UPLOAD_BYTES)`,
      );
    }
    throw error;
  }
  return Buffer.concat(chunks);
}

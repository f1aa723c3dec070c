import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  Post,
  Res,
  StreamableFile,
  UploadedFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import type { AssetRecord } from './asset-record.js';
import { AssetService } from './asset-service.js';
import { AssetUrls } from './asset-urls.js';
import { AssetsExceptionFilter } from './assets-exception.filter.js';

/** What multer's memory storage hands over (its size limit comes from AssetsModule). */
interface UploadedImage {
  buffer: Buffer;
}

/** An asset as the REST API shows it. */
export interface AssetJson {
  id: string;
  url: string;
  mime: string;
  width: number;
  height: number;
  bytes: number;
  createdAt: string;
  source: string;
}

@Controller('assets')
@UseFilters(AssetsExceptionFilter)
export class AssetsController {
  constructor(
    @Inject(AssetService) private readonly assets: AssetService,
    @Inject(AssetUrls) private readonly urls: AssetUrls,
  ) {}

  /** Stores an uploaded image: multipart/form-data with the image as `file`, and optional `prompt`. */
  @Post()
  @UseInterceptors(FileInterceptor('file'))
  async upload(
    @UploadedFile() file: UploadedImage | undefined,
    @Body('prompt') prompt: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AssetJson> {
    if (!file) {
      throw new BadRequestException('send the image as the field "file" of a multipart/form-data body');
    }
    if (prompt !== undefined && typeof prompt !== 'string') {
      throw new BadRequestException('prompt must be a single text field');
    }
    const record = await this.assets.storeBytes(file.buffer, { source: 'uploaded', prompt: prompt || null });
    const url = this.urls.urlOf(record.id);
    response.location(url);
    return assetJson(record, url);
  }

  /**
   * The bytes of an asset. Its id is its hash, so the content never changes: cache it for good, but only
   * in the browser (`private`) when it took a key or a signed URL to get them.
   */
  @Get(':id')
  async download(
    @Param('id') id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile | undefined> {
    const opened = await this.assets.open(id);
    if (!opened) throw new NotFoundException('there is no asset with this id');
    const { record, stream } = opened;
    const etag = `"${record.id}"`;
    response.set({
      ETag: etag,
      'Cache-Control': `${this.urls.signed ? 'private' : 'public'}, max-age=31536000, immutable`,
      'X-Content-Type-Options': 'nosniff',
    });
    if (matchesEtag(ifNoneMatch, etag)) {
      stream.destroy();
      response.status(HttpStatus.NOT_MODIFIED);
      return undefined;
    }
    return new StreamableFile(stream, { type: record.mimeType, length: record.byteSize });
  }
}

/**
 * If-None-Match as RFC 9110 has an origin server evaluate it: weak comparison, lists, `*`. Not Express's
 * `req.fresh`, which ignores it when the request says `Cache-Control: no-cache`, as fetch() adds to any
 * request with conditional headers.
 */
function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function assetJson(record: AssetRecord, url: string): AssetJson {
  return {
    id: record.id,
    url,
    mime: record.mimeType,
    width: record.width,
    height: record.height,
    bytes: record.byteSize,
    createdAt: record.createdAt,
    source: record.source,
  };
}

import sharp from 'sharp';
import type { GenerationRequest, GeneratorPlugin, SourceImage } from '../contract.js';
import { GeneratorError } from '../errors.js';
import { type HttpCall, type HttpResult, requestWithRetry } from '../http/request-with-retry.js';
import {
  downloadImage,
  HTTP_OPTION_KEYS,
  httpCall,
  jsonBody,
  optionError,
  readBoolean,
  readNumber,
  readHttpOptions,
  readOptionalString,
  readStringList,
  readUrl,
  rejectUnknownOptions,
} from '../plugin-options.js';
import { documentedSizes, requestedSize, SIZE_PATTERN, sizeRange } from './image-sizes.js';

const OPTION_KEYS = ['baseUrl', 'apiKey', 'model', 'maxImagesPerCall', 'sizes', 'edits', ...HTTP_OPTION_KEYS];

interface ImagesResponse {
  data: { b64_json?: unknown; url?: unknown }[];
  /** gpt-image models say which format they encoded. */
  output_format?: unknown;
}

/**
 * OpenAI's images API, or any server that copies it: POST /images/generations (JSON) and
 * /images/edits (multipart). It takes exact sizes only. A request for another size is refused with
 * the allowed ones named, not bent to the nearest: a silently different aspect ratio would be a
 * surprise, while the error tells the client what to ask for.
 */
export const openaiImagesPlugin: GeneratorPlugin = {
  name: 'openai-images',
  create(id, options, environment) {
    const baseUrl = readUrl(id, options, 'baseUrl', 'https://api.openai.com/v1');
    const apiKey =
      readOptionalString(id, options, 'apiKey') ?? (environment.env['OPENAI_API_KEY'] || undefined);
    if (apiKey === undefined) throw optionError(id, 'apiKey', 'is required (or set OPENAI_API_KEY)');
    const model = readOptionalString(id, options, 'model') ?? 'gpt-image-1';
    // dall-e-3 makes one image per request.
    const most = model === 'dall-e-3' ? 1 : 10;
    const maxImagesPerCall = readNumber(id, options, 'maxImagesPerCall', {
      min: 1,
      max: most,
      integer: true,
      fallback: Math.min(4, most),
    });
    const sizes = readStringList(id, options, 'sizes') ?? documentedSizes(model);
    if (!sizes.every((size) => SIZE_PATTERN.test(size))) {
      throw optionError(id, 'sizes', 'must be sizes written WIDTHxHEIGHT, e.g. 1024x1024');
    }
    const edits = readBoolean(id, options, 'edits', model !== 'dall-e-3');
    const http = readHttpOptions(id, options);
    rejectUnknownOptions(id, options, OPTION_KEYS);

    // gpt-image models always answer base64 and reject response_format; the others default to URLs.
    const responseFormat = model.startsWith('gpt-image') ? {} : { response_format: 'b64_json' };

    return {
      id,
      kind: 'openai-images',
      capabilities: {
        textToImage: true,
        imageToImage: edits,
        sizes: sizeRange(sizes),
        maxImagesPerCall,
        seed: false,
        negativePrompt: false,
        inpainting: edits,
      },

      async generate(request, context) {
        const size = requestedSize(request.width, request.height);
        if (size !== undefined && !sizes.includes(size)) {
          throw new GeneratorError(
            'BAD_REQUEST',
            `${id}: ${model} makes ${sizes.join(', ')} images, not ${size}`,
          );
        }
        if (request.count > maxImagesPerCall) {
          throw new GeneratorError('BAD_REQUEST', `${id}: at most ${maxImagesPerCall} images per call`);
        }
        if (request.image && !edits)
          throw new GeneratorError('UNSUPPORTED', `${id}: ${model} makes no edits`);

        const call = httpCall(id, http, environment, context, [apiKey]);
        const parameters: Record<string, unknown> = {
          ...request.parameters,
          n: request.count,
          ...(size && { size }),
          ...responseFormat,
        };
        const auth = { Authorization: `Bearer ${apiKey}` };
        const result = request.image
          ? await requestWithRetry(
              `${baseUrl}/images/edits`,
              {
                method: 'POST',
                headers: auth,
                body: await editForm(request, request.image, { ...parameters, model }),
              },
              call,
            )
          : await requestWithRetry(
              `${baseUrl}/images/generations`,
              {
                method: 'POST',
                headers: { ...auth, 'Content-Type': 'application/json' },
                body: JSON.stringify({ ...parameters, model, prompt: request.prompt }),
              },
              call,
            );
        const answer = imagesOf(result, call);
        const format = answer.output_format ?? parameters['output_format'] ?? 'png';
        const images = await Promise.all(
          answer.data.map((item) =>
            typeof item.b64_json === 'string'
              ? {
                  bytes: new Uint8Array(Buffer.from(item.b64_json, 'base64')),
                  mimeType: `image/${String(format)}`,
                }
              : downloadImage(String(item.url), call),
          ),
        );
        return images.map((image) => ({ ...image, seed: null, parameters, model }));
      },
    };
  },
};

async function editForm(
  request: GenerationRequest,
  image: SourceImage,
  fields: Record<string, unknown>,
): Promise<FormData> {
  const form = new FormData();
  const extension = image.mimeType.split('/')[1] ?? 'png';
  form.append('image', new Blob([image.bytes], { type: image.mimeType }), `image.${extension}`);
  if (request.mask) {
    form.append(
      'mask',
      new Blob([await transparentWhereWhite(request.mask)], { type: 'image/png' }),
      'mask.png',
    );
  }
  form.append('prompt', request.prompt);
  for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
  return form;
}

/** OpenAI's mask convention: an RGBA PNG, fully transparent where the image is to be edited. */
async function transparentWhereWhite(mask: SourceImage): Promise<Uint8Array> {
  const grey = await sharp(mask.bytes).greyscale().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = grey.info;
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba[i * 4 + 3] = 255 - grey.data[i * grey.info.channels]!;
  return sharp(rgba, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
}

function imagesOf(result: HttpResult, call: HttpCall): ImagesResponse {
  const answer = jsonBody(result, call) as Partial<ImagesResponse> | null;
  const items = answer?.data;
  const usable = (item: ImagesResponse['data'][number]) =>
    typeof item?.b64_json === 'string' || typeof item?.url === 'string';
  if (!Array.isArray(items) || items.length === 0 || !items.every(usable)) {
    throw new GeneratorError(
      'BAD_RESPONSE',
      `${call.label}: the answer holds no images (data[].b64_json or url)`,
      {
        status: result.status,
        retries: result.retries,
      },
    );
  }
  return answer as ImagesResponse;
}

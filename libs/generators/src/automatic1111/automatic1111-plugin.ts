import type { GeneratorPlugin } from '../contract.js';
import { GeneratorError } from '../errors.js';
import { type HttpCall, type HttpResult, requestWithRetry } from '../http/request-with-retry.js';
import {
  HTTP_OPTION_KEYS,
  httpCall,
  jsonBody,
  optionError,
  readEnum,
  readHttpOptions,
  readNumber,
  readOptionalString,
  readUrl,
  rejectUnknownOptions,
} from '../plugin-options.js';

const OPTION_KEYS = [
  'baseUrl',
  'username',
  'password',
  'model',
  'maxImagesPerCall',
  'samplesFormat',
  ...HTTP_OPTION_KEYS,
];
const SAMPLES_FORMATS = ['png', 'jpg', 'webp'] as const;

/** What txt2img and img2img answer; `info` is itself JSON, as a string. */
interface ProcessingResponse {
  images: string[];
  info?: unknown;
}

interface ProcessingInfo {
  all_seeds?: unknown;
  sd_model_name?: unknown;
}

/**
 * The Stable Diffusion web UI's API (AUTOMATIC1111 and its forks): POST /sdapi/v1/txt2img and
 * /sdapi/v1/img2img. A batch shares one request; with seed s the web UI uses s, s + 1, …, and with
 * seed -1 random ones, and it reports each in `info.all_seeds`.
 */
export const automatic1111Plugin: GeneratorPlugin = {
  name: 'automatic1111',
  create(id, options, environment) {
    const baseUrl = readUrl(id, options, 'baseUrl', 'http://127.0.0.1:7860');
    const username = readOptionalString(id, options, 'username');
    const password = readOptionalString(id, options, 'password');
    if ((username === undefined) !== (password === undefined)) {
      throw optionError(
        id,
        username === undefined ? 'username' : 'password',
        'is required with the other (--api-auth)',
      );
    }
    // A checkpoint name as the web UI lists it; unset, whatever is loaded serves.
    const model = readOptionalString(id, options, 'model');
    const maxImagesPerCall = readNumber(id, options, 'maxImagesPerCall', {
      min: 1,
      max: 16,
      integer: true,
      fallback: 4,
    });
    // The web UI encodes its answers in its samples_format setting.
    const samplesFormat = readEnum(id, options, 'samplesFormat', SAMPLES_FORMATS, 'png');
    const http = readHttpOptions(id, options);
    rejectUnknownOptions(id, options, OPTION_KEYS);

    const credentials =
      username === undefined ? undefined : Buffer.from(`${username}:${password}`).toString('base64');
    const headers = {
      'Content-Type': 'application/json',
      ...(credentials !== undefined && { Authorization: `Basic ${credentials}` }),
    };
    const secrets = credentials === undefined ? [] : [password!, credentials];
    const mimeType = `image/${samplesFormat === 'jpg' ? 'jpeg' : samplesFormat}`;

    return {
      id,
      kind: 'automatic1111',
      capabilities: {
        textToImage: true,
        imageToImage: true,
        // The web UI's own bounds; it rounds other sizes down to multiples of 8.
        sizes: { minWidth: 64, maxWidth: 2048, minHeight: 64, maxHeight: 2048, multipleOf: 8 },
        maxImagesPerCall,
        seed: true,
        negativePrompt: true,
        inpainting: true,
      },

      async generate(request, context) {
        if (request.count > maxImagesPerCall) {
          throw new GeneratorError('BAD_REQUEST', `${id}: at most ${maxImagesPerCall} images per call`);
        }
        const call = httpCall(id, http, environment, context, secrets);
        const source = request.image;
        const parameters: Record<string, unknown> = {
          ...request.parameters,
          negative_prompt: request.negativePrompt,
          // img2img keeps the source's size unless asked otherwise (the web UI's default is 512).
          width: request.width ?? source?.width,
          height: request.height ?? source?.height,
          seed: request.seed ?? -1,
          batch_size: request.count,
          ...(source && request.strength !== undefined && { denoising_strength: request.strength }),
          // The web UI's mask is ours (white = repaint); keep the original under it as the start, and
          // let clipsmith's feathered edge stand rather than blur it again.
          ...(source && request.mask && { inpainting_fill: 1, inpaint_full_res: false, mask_blur: 0 }),
          ...(model !== undefined && { override_settings: { sd_model_checkpoint: model } }),
        };
        const body = {
          ...parameters,
          prompt: request.prompt,
          ...(source && { init_images: [Buffer.from(source.bytes).toString('base64')] }),
          ...(source && request.mask && { mask: Buffer.from(request.mask.bytes).toString('base64') }),
        };
        const path = source ? '/sdapi/v1/img2img' : '/sdapi/v1/txt2img';
        const init = { method: 'POST', headers, body: JSON.stringify(body) };
        const result = await requestWithRetry(`${baseUrl}${path}`, init, call);
        const answer = processed(result, call, request.count);
        const info = parseInfo(answer.info);
        const seeds = Array.isArray(info.all_seeds) ? info.all_seeds : [];
        const usedModel = typeof info.sd_model_name === 'string' ? info.sd_model_name : (model ?? 'unknown');
        // Extensions may append images (ControlNet's maps, say): the batch comes first.
        return answer.images.slice(0, request.count).map((image, i) => ({
          bytes: new Uint8Array(Buffer.from(image, 'base64')),
          mimeType,
          seed: Number.isInteger(seeds[i]) ? (seeds[i] as number) : null,
          parameters,
          model: usedModel,
        }));
      },
    };
  },
};

function processed(result: HttpResult, call: HttpCall, count: number): ProcessingResponse {
  const answer = jsonBody(result, call) as Partial<ProcessingResponse> | null;
  const images = answer?.images;
  if (!Array.isArray(images) || images.length < count || !images.every((i) => typeof i === 'string')) {
    throw new GeneratorError('BAD_RESPONSE', `${call.label}: the answer holds fewer than ${count} images`, {
      status: result.status,
      retries: result.retries,
    });
  }
  return answer as ProcessingResponse;
}

/** `info` as the web UI writes it; without it the images stand, their seeds unknown. */
function parseInfo(info: unknown): ProcessingInfo {
  try {
    const parsed: unknown = typeof info === 'string' ? JSON.parse(info) : null;
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

import {
  demand,
  type FakeUpstream,
  isInteger,
  isOptional,
  jsonOf,
  jsonReply,
  looksLikeImage,
  type Reply,
  startFakeUpstream,
} from './fake-upstream.js';
import { imageBatch } from './test-images.js';

export interface FakeAutomatic1111Options {
  /** Credentials the web UI was started with (`--api-auth user:password`), if any. */
  auth?: { username: string; password: string };
}

/** The seed the fake "draws" for seed -1, so tests can tell drawn seeds from sent ones. */
export const DRAWN_SEED = 3_141_592;
export const LOADED_CHECKPOINT = 'v1-5-pruned-emaonly';

const isNumber = (v: unknown) => typeof v === 'number';
const isString = (v: unknown) => typeof v === 'string';
/** The fields the fake checks, with their pydantic types; others pass, as the web UI ignores them. */
const FIELDS: Record<string, [(v: unknown) => boolean, string]> = {
  prompt: [isString, 'str'],
  negative_prompt: [isString, 'str'],
  sampler_name: [isString, 'str'],
  seed: [isInteger, 'integer'],
  batch_size: [isInteger, 'integer'],
  n_iter: [isInteger, 'integer'],
  steps: [isInteger, 'integer'],
  width: [isInteger, 'integer'],
  height: [isInteger, 'integer'],
  cfg_scale: [isNumber, 'float'],
  denoising_strength: [isNumber, 'float'],
  override_settings: [(v) => typeof v === 'object' && v !== null, 'dict'],
};

/**
 * The Stable Diffusion web UI's /sdapi/v1/txt2img and /img2img: FastAPI's 422 for fields of the wrong
 * type, 401 under --api-auth, and answers of base64 PNGs with `info` as a JSON string.
 */
export async function startFakeAutomatic1111(options: FakeAutomatic1111Options = {}): Promise<FakeUpstream> {
  const expected =
    options.auth &&
    `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
  return startFakeUpstream(
    {
      handle(request, { images }) {
        const img2img = request.path === '/sdapi/v1/img2img';
        if (!img2img && request.path !== '/sdapi/v1/txt2img') return jsonReply(404, { detail: 'Not Found' });
        demand(request.method === 'POST', 'Method Not Allowed', 405);
        demand(
          expected === undefined || request.headers.authorization === expected,
          'Incorrect username or password',
          401,
        );
        const body = jsonOf(request);
        for (const [field, [check, type]] of Object.entries(FIELDS)) {
          demand(isOptional(body[field], check), `${field}: value is not a valid ${type}`, 422);
        }
        if (img2img) {
          const init = body['init_images'];
          demand(
            Array.isArray(init) && init.length > 0 && init.every(isString),
            'init_images: field required',
            422,
          );
          demand(
            looksLikeImage(Buffer.from(init[0] as string, 'base64')),
            'init_images: cannot identify image file',
            422,
          );
          demand(
            isOptional(body['denoising_strength'], (v) => (v as number) >= 0 && (v as number) <= 1),
            'denoising_strength: must be 0 to 1',
            422,
          );
        }
        const count =
          ((body['batch_size'] as number | undefined) ?? 1) * ((body['n_iter'] as number | undefined) ?? 1);
        const sent = (body['seed'] as number | undefined) ?? -1;
        const first = sent === -1 ? DRAWN_SEED : sent;
        const allSeeds = Array.from({ length: count }, (_, i) => first + i);
        const checkpoint = (body['override_settings'] as { sd_model_checkpoint?: string } | undefined)
          ?.sd_model_checkpoint;
        const info = {
          prompt: body['prompt'] ?? '',
          seed: first,
          all_seeds: allSeeds,
          sd_model_name: checkpoint ?? LOADED_CHECKPOINT,
        };
        return jsonReply(200, {
          images: allSeeds.map((_, i) => images[i % images.length]!.bytes.toString('base64')),
          parameters: body,
          info: JSON.stringify(info),
        });
      },
      errorReply,
    },
    await imageBatch('png'),
  );
}

/** FastAPI's shapes: `detail` for 401, 404 and 422 (a list for 422), the web UI's own for the rest. */
function errorReply(status: number, message: string): Reply {
  const reply =
    status === 422
      ? jsonReply(status, { detail: [{ loc: ['body'], msg: message, type: 'value_error' }] })
      : status === 401 || status === 404 || status === 405
        ? jsonReply(status, { detail: message })
        : jsonReply(status, { error: 'RuntimeError', detail: '', body: '', errors: message });
  return status === 401 ? { ...reply, headers: { ...reply.headers, 'WWW-Authenticate': 'Basic' } } : reply;
}

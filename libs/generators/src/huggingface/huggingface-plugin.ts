import { randomInt } from 'node:crypto';
import { InferenceClient, InferenceClientInputError, type InferenceProvider } from '@huggingface/inference';
import type { GenerationRequest, GeneratorPlugin } from '../contract.js';
import { GeneratorError } from '../errors.js';
import { type HttpCall, redact, requestWithRetry } from '../http/request-with-retry.js';
import {
  downloadImage,
  HTTP_OPTION_KEYS,
  httpCall,
  optionError,
  readEnum,
  readHttpOptions,
  readOptionalString,
  readString,
  readUrl,
  rejectUnknownOptions,
} from '../plugin-options.js';

const TASKS = ['text-to-image', 'image-to-image'] as const;
type Task = (typeof TASKS)[number];

const OPTION_KEYS = ['endpointUrl', 'model', 'task', 'provider', 'token', ...HTTP_OPTION_KEYS];

/**
 * Providers whose every request goes through the fetch we hand the client. fal-ai, wavespeed and
 * zai-org poll their queues, and replicate downloads image-to-image results, with the global fetch:
 * outside clipsmith's routing, retries and limits, so they are refused rather than half supported.
 */
const PROVIDERS: Readonly<Record<Task, readonly InferenceProvider[]>> = {
  'text-to-image': ['hf-inference', 'together', 'replicate'],
  'image-to-image': ['hf-inference', 'together'],
};

/**
 * Hugging Face Inference Providers, Inference Endpoints and self-hosted servers of the same API.
 *
 * One path: InferenceClient builds each provider's URL, headers and body, looks the model up on the
 * Hub, and decodes the answer, while the `fetch` we give it is requestWithRetry, so each of its
 * requests gets our retries, Retry-After, timeouts, size limit and redaction (its own endless 503
 * retry is turned off). Where a provider answers with an image URL we ask the client for the URL
 * (outputType 'url') and download it ourselves, since the client would use the global fetch.
 */
export const huggingfacePlugin: GeneratorPlugin = {
  name: 'huggingface',
  create(id, options, environment) {
    const endpointUrl = readUrl(id, options, 'endpointUrl');
    const model =
      endpointUrl === undefined ? readString(id, options, 'model') : readOptionalString(id, options, 'model');
    const task = readEnum(id, options, 'task', TASKS, 'text-to-image');
    const provider = readEnum(id, options, 'provider', PROVIDERS[task], 'hf-inference');
    if (endpointUrl !== undefined && provider !== 'hf-inference') {
      throw optionError(id, 'provider', 'must be hf-inference (or left out) with options.endpointUrl');
    }
    const token = readOptionalString(id, options, 'token') ?? (environment.env['HF_TOKEN'] || undefined);
    const http = readHttpOptions(id, options);
    rejectUnknownOptions(id, options, OPTION_KEYS);

    // The client refuses a provider next to endpointUrl, though endpoints speak hf-inference.
    const target = { model, provider: endpointUrl === undefined ? provider : undefined };
    const client = new InferenceClient(token, { endpointUrl });
    const secrets = token === undefined ? [] : [token];
    const modelName = model ?? endpointUrl!;

    return {
      id,
      kind: 'huggingface',
      capabilities: {
        textToImage: task === 'text-to-image',
        imageToImage: task === 'image-to-image',
        // Diffusion models take multiples of 8; what a given model does well is for its card to say.
        sizes: { minWidth: 256, maxWidth: 2048, minHeight: 256, maxHeight: 2048, multipleOf: 8 },
        // The task APIs return one image; the fan-out asks again with the next seed.
        maxImagesPerCall: 1,
        seed: true,
        negativePrompt: true,
      },

      async generate(request, context) {
        if (request.count !== 1) {
          throw new GeneratorError('BAD_REQUEST', `${id}: one image per call, not ${request.count}`);
        }
        if ((request.image !== undefined) !== (task === 'image-to-image')) {
          throw new GeneratorError('UNSUPPORTED', `${id}: ${modelName} is configured for ${task}`);
        }
        const call = httpCall(id, http, environment, context, secrets);
        const parameters = taskParameters(request);
        const options = { fetch: clientFetch(call), signal: call.signal, retry_on_error: false };
        const output = await throughClient(call, async (): Promise<Blob | string> => {
          const source = request.image;
          if (source) {
            const inputs = new Blob([source.bytes], { type: source.mimeType });
            return client.imageToImage(
              { ...target, inputs, parameters: { ...parameters, prompt: request.prompt } },
              options,
            );
          }
          const args = { ...target, inputs: request.prompt, parameters };
          // hf-inference answers with the image itself and refuses outputType 'url'.
          return provider === 'hf-inference'
            ? client.textToImage(args, options)
            : client.textToImage(args, { ...options, outputType: 'url' });
        });
        const image =
          typeof output === 'string'
            ? await downloadImage(output, call)
            : { bytes: new Uint8Array(await output.arrayBuffer()), mimeType: output.type };
        return [{ ...image, seed: parameters.seed, parameters, model: modelName }];
      },
    };
  },
};

/**
 * The task's `parameters`: pass-through ones first, so the request's own fields win. Without a seed we
 * pick one, so the candidate can be reproduced, and so that repeated calls are not answered from the
 * Inference API's cache of identical requests.
 */
function taskParameters(request: GenerationRequest) {
  const { width, height } = request;
  // The image-to-image task names the output size target_size.
  const size =
    request.image && width !== undefined && height !== undefined
      ? { target_size: { width, height } }
      : { width, height };
  return {
    ...request.parameters,
    negative_prompt: request.negativePrompt,
    ...size,
    ...(request.strength !== undefined && { strength: request.strength }),
    seed: request.seed ?? randomInt(2 ** 31),
  };
}

/** The client's fetch: requestWithRetry behind the Fetch API, so non-2xx answers arrive as GeneratorErrors. */
function clientFetch(call: HttpCall): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const result = await requestWithRetry(url, init ?? {}, call);
    return new Response(result.body, { status: result.status, headers: result.headers });
  };
}

/** Runs the client; its own errors carry request details, so only their redacted message is kept. */
async function throughClient<T>(call: HttpCall, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof GeneratorError) throw error;
    const code = error instanceof InferenceClientInputError ? 'BAD_REQUEST' : 'BAD_RESPONSE';
    const message = error instanceof Error ? error.message : String(error);
    throw new GeneratorError(code, `${call.label}: ${redact(message, call.secrets)}`);
  }
}

import {
  demand,
  type FakeUpstream,
  isInteger,
  isOptional,
  jsonOf,
  jsonReply,
  looksLikeImage,
  type RecordedRequest,
  type Reply,
  startFakeUpstream,
  type UpstreamContext,
} from './fake-upstream.js';
import { imageBatch } from './test-images.js';

export type FakeProvider = 'hf-inference' | 'together' | 'replicate';

export interface FakeHubModel {
  task: 'text-to-image' | 'image-to-image';
  /** Provider → the model's id there (hf-inference uses the Hub id). */
  providers: Partial<Record<FakeProvider, string>>;
}

export interface FakeHuggingFaceOptions {
  /** Every inference request must carry `Authorization: Bearer <token>`. */
  token: string;
  /** Hub model id → what the Hub knows of it. */
  models: Record<string, FakeHubModel>;
}

/**
 * Hugging Face on one port: the Hub's model API (the inference provider mapping the client looks up),
 * the router's hf-inference, together and replicate routes, `/endpoints/{model}` standing in for an
 * Inference Endpoint, and `/files/{n}` for images answered by URL. Answers carry JPEGs, as FLUX does.
 */
export async function startFakeHuggingFace(options: FakeHuggingFaceOptions): Promise<FakeUpstream> {
  const model = (id: string, provider?: FakeProvider): FakeHubModel => {
    const known = options.models[id];
    demand(known !== undefined, `Model ${id} does not exist`, 404);
    demand(
      !provider || known.providers[provider] !== undefined,
      `Model ${id} is not served by ${provider}`,
      404,
    );
    return known;
  };
  const authorize = (request: RecordedRequest): void =>
    demand(
      request.headers.authorization === `Bearer ${options.token}`,
      'Invalid credentials in Authorization header',
      401,
    );

  const routes: [RegExp, (request: RecordedRequest, match: string, context: UpstreamContext) => Reply][] = [
    [/^\/api\/models\/(.+)$/, (request, id) => hubModel(request, id, model(id))],
    [
      /^\/(?:hf-inference\/models|endpoints)\/(.+)$/,
      (request, id, context) => {
        authorize(request);
        const { task } = model(id, request.path.startsWith('/endpoints/') ? undefined : 'hf-inference');
        return hfInference(request, task, context);
      },
    ],
    [
      /^\/together\/v1\/images\/generations$/,
      (request, _, context) => {
        authorize(request);
        return together(request, options.models, context);
      },
    ],
    [
      /^\/replicate\/v1\/models\/(.+)\/predictions$/,
      (request, providerId, context) => {
        authorize(request);
        return replicate(request, providerId, options.models, context);
      },
    ],
    [
      /^\/files\/(\d+)$/,
      (_, n, { images }) => {
        const image = images[Number(n) % images.length]!;
        return { status: 200, headers: { 'Content-Type': image.mimeType }, body: image.bytes };
      },
    ],
  ];

  return startFakeUpstream(
    {
      handle(request, context) {
        for (const [pattern, route] of routes) {
          const match = pattern.exec(request.path);
          if (match) return route(request, match[1]!, context);
        }
        return jsonReply(404, { error: `no route ${request.method} ${request.path}` });
      },
      errorReply: (status, message, request) =>
        request.path.startsWith('/replicate/')
          ? jsonReply(status, { title: 'Request failed', detail: message, status })
          : request.path.startsWith('/together/')
            ? jsonReply(status, { error: { message, type: 'invalid_request_error' } })
            : jsonReply(status, { error: message }),
    },
    await imageBatch('jpeg'),
  );
}

function hubModel(request: RecordedRequest, id: string, known: FakeHubModel): Reply {
  demand(request.method === 'GET', 'Method not allowed', 405);
  const inferenceProviderMapping = Object.fromEntries(
    Object.entries(known.providers).map(([provider, providerId]) => [
      provider,
      { status: 'live', providerId, task: known.task },
    ]),
  );
  const expand = request.query.getAll('expand[]');
  return jsonReply(200, {
    _id: id,
    id,
    ...(expand.includes('inferenceProviderMapping') && { inferenceProviderMapping }),
  });
}

/** The hf-inference task API: `{ inputs, parameters }` in, the image's bytes out. */
function hfInference(
  request: RecordedRequest,
  task: FakeHubModel['task'],
  { images }: UpstreamContext,
): Reply {
  demand(request.method === 'POST', 'Method not allowed', 405);
  const body = jsonOf(request);
  const parameters = (body['parameters'] ?? {}) as Record<string, unknown>;
  demand(typeof parameters === 'object', '`parameters` must be an object', 422);
  if (task === 'text-to-image') {
    demand(typeof body['inputs'] === 'string' && body['inputs'] !== '', '`inputs` must be the prompt', 422);
  } else {
    const inputs =
      typeof body['inputs'] === 'string' ? Buffer.from(body['inputs'], 'base64') : Buffer.alloc(0);
    demand(looksLikeImage(inputs), '`inputs` must be the base64 of an image', 422);
    demand(typeof parameters['prompt'] === 'string', '`parameters.prompt` must be a string', 422);
  }
  checkDiffusionParameters(parameters);
  const image = images[0]!;
  return { status: 200, headers: { 'Content-Type': image.mimeType }, body: image.bytes };
}

function checkDiffusionParameters(parameters: Record<string, unknown>): void {
  for (const key of ['width', 'height', 'seed', 'num_inference_steps', 'steps']) {
    demand(isOptional(parameters[key], isInteger), `\`${key}\` must be an integer`, 422);
  }
  demand(
    isOptional(parameters['guidance_scale'], (v) => typeof v === 'number'),
    '`guidance_scale` must be a number',
    422,
  );
  demand(
    isOptional(parameters['negative_prompt'], (v) => typeof v === 'string'),
    '`negative_prompt` must be a string',
    422,
  );
}

/** Together's OpenAI-like images API, by URL or base64. */
function together(
  request: RecordedRequest,
  models: Record<string, FakeHubModel>,
  { url, images }: UpstreamContext,
): Reply {
  const body = jsonOf(request);
  const known = Object.values(models).some((m) => m.providers.together === body['model']);
  demand(known, `Unable to access model ${String(body['model'])}`, 404);
  demand(typeof body['prompt'] === 'string', '`prompt` must be a string');
  demand(
    body['response_format'] === 'url' || body['response_format'] === 'base64',
    '`response_format` must be url or base64',
  );
  checkDiffusionParameters(body);
  const image = images[0]!;
  const item =
    body['response_format'] === 'url'
      ? { url: `${url}/files/0` }
      : { b64_json: image.bytes.toString('base64') };
  return jsonReply(200, { id: 'fake', model: body['model'], object: 'list', data: [{ index: 0, ...item }] });
}

/** Replicate's predictions API, answered synchronously (`Prefer: wait`) with an output URL. */
function replicate(
  request: RecordedRequest,
  providerId: string,
  models: Record<string, FakeHubModel>,
  { url }: UpstreamContext,
): Reply {
  demand(request.headers.prefer === 'wait', 'expected Prefer: wait');
  demand(
    Object.values(models).some((m) => m.providers.replicate === providerId),
    'model not found',
    404,
  );
  const body = jsonOf(request);
  const input = body['input'] as Record<string, unknown> | undefined;
  demand(typeof input === 'object' && input !== null, '`input` must be an object', 422);
  demand(typeof input['prompt'] === 'string', '`input.prompt` must be a string', 422);
  checkDiffusionParameters(input);
  return jsonReply(201, { id: 'fake', status: 'succeeded', output: [`${url}/files/0`] });
}

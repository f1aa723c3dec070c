import {
  demand,
  type FakeUpstream,
  formOf,
  isInteger,
  jsonOf,
  jsonReply,
  looksLikeImage,
  type RecordedRequest,
  type Reply,
  startFakeUpstream,
  type UpstreamContext,
} from './fake-upstream.js';
import { imageBatch } from './test-images.js';

export interface FakeOpenAIOptions {
  apiKey: string;
  /** How items are answered: base64 (as asked, the default) or always as URLs, as some clones do. */
  answer?: 'as-asked' | 'url';
}

/** Sizes as OpenAI documents them per model, written out here independently of the plugin. */
const SIZES: Record<string, string[]> = {
  'dall-e-2': ['256x256', '512x512', '1024x1024'],
  'dall-e-3': ['1024x1024', '1792x1024', '1024x1792'],
  'gpt-image-1': ['1024x1024', '1536x1024', '1024x1536', 'auto'],
};

/**
 * OpenAI's images API under /v1: generations (JSON) and edits (multipart), with its request rules
 * (n, size per model, no response_format for gpt-image-1, edits not for dall-e-3) and its error shape.
 * `/files/{n}` serves images answered by URL, without credentials, like a presigned blob URL.
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions): Promise<FakeUpstream> {
  return startFakeUpstream(
    {
      async handle(request, context) {
        const file = /^\/files\/(\d+)$/.exec(request.path);
        if (file) {
          const image = context.images[Number(file[1]) % context.images.length]!;
          return { status: 200, headers: { 'Content-Type': image.mimeType }, body: image.bytes };
        }
        demand(request.method === 'POST', `Invalid method for URL (${request.method} ${request.path})`, 405);
        const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
        demand(key !== undefined, "You didn't provide an API key.", 401);
        demand(
          key === options.apiKey,
          `Incorrect API key provided: ${key.slice(0, 3)}***${key.slice(-4)}.`,
          401,
        );
        if (request.path === '/v1/images/generations') return answer(jsonOf(request), context);
        if (request.path === '/v1/images/edits') return answer(await editFields(request), context);
        return jsonReply(404, openAIError(`Invalid URL (POST ${request.path})`));
      },
      errorReply: (status, message) => jsonReply(status, openAIError(message)),
    },
    await imageBatch('png'),
  );

  function answer(body: Record<string, unknown>, { url, images }: UpstreamContext): Reply {
    const model = body['model'] ?? 'dall-e-2';
    demand(
      typeof model === 'string' && model in SIZES,
      `The model \`${String(model)}\` does not exist.`,
      404,
    );
    demand(
      typeof body['prompt'] === 'string' && body['prompt'] !== '',
      "Missing required parameter: 'prompt'.",
    );
    const n = body['n'] ?? 1;
    demand(
      isInteger(n) && (n as number) >= 1 && (n as number) <= 10,
      `Invalid 'n': expected an integer from 1 to 10.`,
    );
    demand(model !== 'dall-e-3' || n === 1, 'You must provide n=1 for this model.');
    const size = body['size'];
    demand(size === undefined || SIZES[model]!.includes(size as string), `Invalid value: '${String(size)}'.`);
    const format = body['response_format'];
    if (model === 'gpt-image-1') demand(format === undefined, "Unknown parameter: 'response_format'.");
    else
      demand(format === undefined || format === 'url' || format === 'b64_json', `Invalid response_format.`);
    const base64 = options.answer !== 'url' && (model === 'gpt-image-1' || format === 'b64_json');
    const data = Array.from({ length: n as number }, (_, i) =>
      base64
        ? { b64_json: images[i % images.length]!.bytes.toString('base64') }
        : { url: `${url}/files/${i}` },
    );
    const extra = model === 'gpt-image-1' ? { output_format: body['output_format'] ?? 'png' } : {};
    return jsonReply(200, { created: 1_700_000_000, data, ...extra });
  }
}

/** The multipart fields of an edit, numbers parsed as the API does; the image must be a file. */
async function editFields(request: RecordedRequest): Promise<Record<string, unknown>> {
  const form = await formOf(request);
  const image = form.get('image') ?? form.get('image[]');
  demand(image instanceof File, "Missing required parameter: 'image'.");
  demand(looksLikeImage(new Uint8Array(await image.arrayBuffer())), 'Invalid image file or mode.');
  const fields: Record<string, unknown> = {};
  for (const [key, value] of form) if (typeof value === 'string') fields[key] = value;
  demand(fields['model'] !== 'dall-e-3', 'Invalid model dall-e-3: edits need dall-e-2 or gpt-image-1.');
  if (fields['n'] !== undefined) fields['n'] = Number(fields['n']);
  return fields;
}

function openAIError(message: string) {
  return { error: { message, type: 'invalid_request_error', param: null, code: null } };
}

import { z } from 'zod';
import { ApiError, type ApiErrorCode } from '../errors/api-error.js';

/** OpenAI's own bound on `n`. */
export const MAX_IMAGES_PER_REQUEST = 10;
/** The model id that means every configured generator, reranked (or, for edits, the operator search). */
export const CLIPSMITH_MODEL = 'clipsmith';

/** A request problem tied to one parameter: OpenAI's error shape names it in `param`. */
export class InvalidParamError extends ApiError {
  constructor(
    readonly param: string,
    message: string,
    code: ApiErrorCode = 'BAD_REQUEST',
  ) {
    super(code, message);
    this.name = 'InvalidParamError';
  }
}

export type ResponseFormat = 'url' | 'b64_json';

export interface Size {
  width: number;
  height: number;
}

/** What both image endpoints take, parsed. */
interface CommonRequest {
  prompt: string;
  n: number;
  /** Null: the generator's default (`auto`, or no size sent). */
  size: Size | null;
  responseFormat: ResponseFormat;
  /** Null: clipsmith itself (`clipsmith` or no model sent). */
  model: string | null;
}

export interface GenerationRequest extends CommonRequest {
  /** Null: the configured default. */
  bestOf: number | null;
  negativePrompt: string | null;
  seed: number | null;
}

export type EditRequest = CommonRequest;

/** multipart fields are text: numbers arrive as strings. */
const fromText = (raw: unknown) => (typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw);
const booleanFromText = (raw: unknown) => (raw === 'false' ? false : raw);

function whole(field: string, min: number, max?: number) {
  const error = `${field} must be a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`}`;
  const atLeast = z.number({ error }).int({ error }).min(min, { error });
  return max === undefined ? atLeast : atLeast.max(max, { error });
}

const text = (error: string) => z.string({ error }).nullish();

/** The fields both endpoints take; `count` reads `n` (a number in JSON, a text in multipart). */
const commonFields = (count: z.ZodType<number>) => ({
  prompt: z.string({ error: 'prompt is required: a text saying what the image should show' }),
  n: count.nullish(),
  size: text('size must be a text such as "512x512"'),
  response_format: z
    .enum(['url', 'b64_json'], { error: 'response_format must be "url" or "b64_json"' })
    .nullish(),
  model: text('model must be a text: an id from GET /v1/models'),
  // Partial images as server-sent events are gpt-image-1's; a client asking for them must hear no.
  stream: z
    .preprocess(
      booleanFromText,
      z.literal(false, { error: 'stream is not supported: the images come in one answer once ranked' }),
    )
    .nullish(),
});

// z.object drops keys it does not know, as OpenAI's server ignores them.
const generationSchema = z.object({
  ...commonFields(whole('n', 1, MAX_IMAGES_PER_REQUEST)),
  best_of: whole('best_of', 1).nullish(),
  negative_prompt: text('negative_prompt must be a text'),
  seed: whole('seed', 0, 2 ** 31 - 1).nullish(),
  user: text('user must be a text'),
});
const editSchema = z.object(commonFields(z.preprocess(fromText, whole('n', 1, MAX_IMAGES_PER_REQUEST))));

/** The JSON body of `POST /v1/images/generations`. */
export function parseGenerationRequest(body: unknown): GenerationRequest {
  const fields = parse(generationSchema, body);
  return {
    ...commonOf(fields),
    bestOf: fields.best_of ?? null,
    negativePrompt: fields.negative_prompt ?? null,
    seed: fields.seed ?? null,
  };
}

/** The text fields of the multipart body of `POST /v1/images/edits`. */
export function parseEditRequest(fields: unknown): EditRequest {
  return commonOf(parse(editSchema, fields));
}

function commonOf(fields: z.output<typeof editSchema>): CommonRequest {
  return {
    prompt: fields.prompt,
    n: fields.n ?? 1,
    size: parseSize(fields.size ?? 'auto'),
    responseFormat: fields.response_format ?? 'url',
    model: !fields.model || fields.model === CLIPSMITH_MODEL ? null : fields.model,
  };
}

/** `"WxH"` in pixels, or `"auto"` for the generator's own size. */
export function parseSize(size: string): Size | null {
  if (size === 'auto') return null;
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(size);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || width < 1 || height < 1) {
    throw new InvalidParamError('size', `size must be "WIDTHxHEIGHT" in pixels (e.g. "512x512") or "auto"`);
  }
  return { width, height };
}

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ApiError('BAD_REQUEST', 'the body must be a JSON object');
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new InvalidParamError(String(issue.path[0] ?? ''), issue.message);
}

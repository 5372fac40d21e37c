/**
 * JSON Schemas of the OpenAI-compatible request bodies. Unknown fields are accepted and ignored
 * (clients add new ones often); fields Recur knows but does not implement are checked in
 * `sampling-params.ts` and refused only when they would change the answer.
 */
const nullable = <S extends Record<string, unknown>>(schema: S) => ({ anyOf: [schema, { type: 'null' }] }) as const;

const samplingProperties = {
  model: { type: 'string', minLength: 1, maxLength: 256 },
  max_tokens: nullable({ type: 'integer', minimum: 1 }),
  max_completion_tokens: nullable({ type: 'integer', minimum: 1 }),
  // vLLM's name for transformers' min_new_tokens.
  min_tokens: nullable({ type: 'integer', minimum: 0 }),
  temperature: nullable({ type: 'number', minimum: 0, maximum: 2 }),
  top_p: nullable({ type: 'number', exclusiveMinimum: 0, maximum: 1 }),
  top_k: nullable({ type: 'integer', minimum: -1 }),
  repetition_penalty: nullable({ type: 'number', exclusiveMinimum: 0, maximum: 100 }),
  stop: nullable({
    anyOf: [
      { type: 'string', minLength: 1, maxLength: 1000 },
      { type: 'array', maxItems: 4, items: { type: 'string', minLength: 1, maxLength: 1000 } },
    ],
  }),
  n: nullable({ type: 'integer', minimum: 1, maximum: 128 }),
  seed: nullable({ type: 'integer' }),
  stream: nullable({ type: 'boolean' }),
  stream_options: nullable({ type: 'object', properties: { include_usage: { type: 'boolean' } } }),
  presence_penalty: nullable({ type: 'number', minimum: -2, maximum: 2 }),
  frequency_penalty: nullable({ type: 'number', minimum: -2, maximum: 2 }),
  logprobs: {},
  logit_bias: nullable({ type: 'object' }),
  user: nullable({ type: 'string' }),
} as const;

const textPart = {
  type: 'object',
  required: ['type', 'text'],
  properties: { type: { const: 'text' }, text: { type: 'string' } },
} as const;

export const chatCompletionBodySchema = {
  type: 'object',
  required: ['model', 'messages'],
  properties: {
    ...samplingProperties,
    messages: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['role'],
        properties: {
          role: { enum: ['system', 'developer', 'user', 'assistant'] },
          content: { anyOf: [{ type: 'string' }, { type: 'array', items: textPart }, { type: 'null' }] },
          name: { type: 'string', maxLength: 256 },
        },
      },
    },
    response_format: nullable({ type: 'object', required: ['type'], properties: { type: { type: 'string' } } }),
  },
} as const;

export const completionBodySchema = {
  type: 'object',
  required: ['model', 'prompt'],
  properties: {
    ...samplingProperties,
    prompt: { anyOf: [{ type: 'string' }, { type: 'array', minItems: 1, items: { type: 'string' } }] },
    echo: nullable({ type: 'boolean' }),
    best_of: nullable({ type: 'integer', minimum: 1 }),
    suffix: nullable({ type: 'string' }),
  },
} as const;

/** The fields both routes read. */
export interface SamplingBody {
  readonly model: string;
  readonly max_tokens?: number | null;
  readonly max_completion_tokens?: number | null;
  readonly min_tokens?: number | null;
  readonly temperature?: number | null;
  readonly top_p?: number | null;
  readonly top_k?: number | null;
  readonly repetition_penalty?: number | null;
  readonly stop?: string | readonly string[] | null;
  readonly n?: number | null;
  readonly seed?: number | null;
  readonly stream?: boolean | null;
  readonly stream_options?: { readonly include_usage?: boolean } | null;
  readonly presence_penalty?: number | null;
  readonly frequency_penalty?: number | null;
  readonly logprobs?: unknown;
  readonly logit_bias?: Record<string, number> | null;
  readonly [field: string]: unknown;
}

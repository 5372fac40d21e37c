/**
 * The core of the spec schema: the top-level keys every pipeline shares. Parts (`tokenizer`,
 * `encoder`, ...) are references to `$defs/part.<kind>`, which `build-schema.ts` fills from the
 * registered plugins. Every property carries a `description`: the spec reference is generated from
 * them, and the generator refuses a property without one.
 */
import type { JsonSchema } from '../plugins/plugin-api.js';
import { trainSchema } from './train-schema.js';

/** A reference to "any registered part of this kind", with the description the docs show. */
function part(kind: string, description: string): JsonSchema {
  return { $ref: `#/$defs/part.${kind}`, description };
}

/** Marks a string as a file reference, resolved against the spec's folder and checked. */
export function pathString(role: string, description: string): JsonSchema {
  return { type: 'string', minLength: 1, maxLength: 4096, 'x-recur-path': role, description };
}

export const runtimeSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'How the pipeline runs on ONNX Runtime. Call options and server flags may narrow these.',
  properties: {
    executionProviders: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 64 },
      minItems: 1,
      maxItems: 16,
      uniqueItems: true,
      default: ['cpu'],
      description:
        'ONNX Runtime execution providers in order of preference (`cuda`, `dml`, `cpu`, ...). Unavailable ones are dropped with a logged warning; CPU is always tried last.',
    },
    threads: {
      type: 'integer',
      minimum: 0,
      maximum: 1024,
      default: 0,
      description: 'Intra-op threads of each ONNX Runtime session; 0 lets ONNX Runtime choose.',
    },
    maxBatch: {
      type: 'integer',
      minimum: 1,
      maximum: 4096,
      default: 32,
      description: 'Most inputs that concurrent calls are coalesced into for one session run.',
    },
    maxWaitMs: {
      type: 'number',
      minimum: 0,
      maximum: 60000,
      default: 5,
      description:
        'While a batch runs, the longest time in milliseconds a call queued behind it waits for other calls to share its batch. An idle pipeline runs a call at once (with the calls made in the same tick).',
    },
    maxInputTokens: {
      type: 'integer',
      minimum: 1,
      maximum: 1000000,
      default: 512,
      description: 'Most tokens of one input; longer inputs are truncated or refused as `truncation` says.',
    },
    truncation: {
      type: 'string',
      enum: ['right', 'left', 'off'],
      default: 'right',
      description:
        'What happens to an input longer than `maxInputTokens`: cut its end (`right`), cut its start and keep the latest text (`left`), each with a logged warning naming the input, or refuse it with RECUR_E_INPUT_TOO_LONG (`off`). A call may choose otherwise with its `truncation` option.',
    },
    provenance: {
      type: 'string',
      enum: ['warn', 'error'],
      default: 'warn',
      description:
        'What loading does when the weights record another spec or tokenizer file than the ones loaded (`model_sha256`, `tokenizer_sha256` in their metadata): log one warning naming what differs (`warn`), or refuse with RECUR_E_WEIGHTS_PROVENANCE (`error`; CLI `--strict-provenance`).',
    },
  },
};

/** Top-level keys of a spec. */
export function coreProperties(taskNames: JsonSchema): Record<string, JsonSchema> {
  return {
    $schema: {
      type: 'string',
      maxLength: 4096,
      description:
        'Path or URL of the pipeline JSON Schema, so that editors complete and check the spec. Ignored by Recur.',
    },
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      description:
        'Name of the pipeline: letters, digits, `.`, `_` and `-`. Used in logs, in server routes (`/v1/pipelines/<name>`) and as the model id.',
    },
    version: {
      type: ['integer', 'string'],
      minimum: 1,
      minLength: 1,
      maxLength: 64,
      description: "Version of this pipeline, a number or a version string; recorded in the weights' metadata.",
    },
    description: {
      type: 'string',
      maxLength: 4096,
      description: 'What the pipeline does, in a sentence or two.',
    },
    task: taskNames,
    plugins: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 1024 },
      uniqueItems: true,
      maxItems: 64,
      description:
        'Extra plugin modules this spec needs (npm package names or paths relative to the spec). Loading code is a trust decision: the runtime imports only modules the caller allows.',
    },
    tokenizer: part('tokenizer', 'Turns text into token ids and back. Classification and language-model tasks.'),
    embedding: part('embedding', 'Maps token ids to vectors; its size flows into the encoder.'),
    encoder: part('encoder', 'The recurrent encoder (or a bring-your-own ONNX model) over the embedded tokens.'),
    decoder: part('decoder', 'The decoder of a translation pipeline, reading the source encoding.'),
    head: part('head', 'Turns encoder outputs into the task outputs (labels, next-token scores, translations).'),
    source: {
      type: 'object',
      additionalProperties: false,
      required: ['tokenizer', 'embedding', 'encoder'],
      description: 'Translation: the source-language side.',
      properties: {
        tokenizer: part('tokenizer', 'Tokenizer of the source language.'),
        embedding: part('embedding', 'Embedding of source tokens.'),
        encoder: part('encoder', 'Encoder of the source sentence.'),
      },
    },
    target: {
      type: 'object',
      additionalProperties: false,
      required: ['tokenizer', 'embedding'],
      description: 'Translation: the target-language side (its encoder is the `decoder`).',
      properties: {
        tokenizer: part('tokenizer', 'Tokenizer of the target language.'),
        embedding: part('embedding', 'Embedding of target tokens, read by the decoder.'),
      },
    },
    weights: pathString(
      'weights',
      'The safetensors file holding the trained parameters, relative to the spec. It may not exist yet: `recur train` writes it, `recur run` needs it.',
    ),
    runtime: runtimeSchema,
    train: trainSchema,
  };
}

/** Top-level keys a task may list in its `slots`. */
export const SLOT_KEYS: readonly string[] = [
  'tokenizer',
  'embedding',
  'encoder',
  'decoder',
  'head',
  'source',
  'target',
  'weights',
];

import { RuntimeErrors as E, type JsonSchema, type RunOptions } from '@recur/runtime';
import { KEYWORD_FUNCTION } from '@recur/runtime/internal';
import { asCallOptions } from '../call-option-schema.js';
import type { SamplingParams } from '../sampling/token-sampler.js';
import { TRUNCATION_CALL_OPTIONS, type Truncation } from '../text-batch.js';

/**
 * Generation settings. The spec's `head.generate` block sets a pipeline's defaults; every field can
 * be given again per call (`run(prompt, { temperature: 0 })`).
 */
export interface GenerateSettings {
  /** Most tokens generated after the prompt. @defaultValue 50 */
  readonly maxNewTokens?: number;
  /**
   * Fewest tokens generated before a stop string or the end-of-text token may end the generation
   * (transformers' `min_new_tokens`, vLLM's `min_tokens`): the end-of-text token cannot be chosen
   * before, and stop strings are looked for only in the text after these tokens. At most
   * `maxNewTokens`. @defaultValue 0
   */
  readonly minNewTokens?: number;
  /** 0 is greedy decoding; otherwise logits are divided by it before sampling. @defaultValue 1 */
  readonly temperature?: number;
  /** Sample among the k most likely tokens only; 0 turns it off. @defaultValue 0 */
  readonly topK?: number;
  /** Nucleus sampling threshold; 1 turns it off. @defaultValue 1 */
  readonly topP?: number;
  /** CTRL repetition penalty over prompt and generated tokens; 1 turns it off. @defaultValue 1 */
  readonly repetitionPenalty?: number;
  /** Generation ends before the first of these strings; it is not part of the result. @defaultValue [] */
  readonly stop?: readonly string[];
  /** Seed of the sampler: the same seed, prompt and weights give the same text. @defaultValue a random seed per call */
  readonly seed?: number;
}

/** Call-time options of text generation. */
export interface GenerationOptions extends RunOptions, GenerateSettings {
  /** Return the prompt followed by the generated text (transformers.js's `return_full_text`). @defaultValue true */
  readonly returnFullText?: boolean;
  /** Prompt token limit. @defaultValue the spec's `runtime.maxInputTokens` */
  readonly maxInputTokens?: number;
  /**
   * A prompt over the limit: keep its end (`left`, usual for generation), its start (`right`), or
   * refuse it (`off`, RECUR_E_INPUT_TOO_LONG). @defaultValue the spec's `runtime.truncation`
   */
  readonly truncation?: Truncation;
  /**
   * Called once per input when its generation ends normally (not on errors or aborts): why it ended
   * and its token counts (a server reports them as OpenAI's `finish_reason` and `usage`). `index`
   * is the input's position in a `run()` call (0 for `stream()`).
   */
  readonly onEnd?: (end: GenerationEnd, index: number) => void;
}

/** How a streamed generation ended. */
export interface GenerationEnd {
  /** `length` (maxNewTokens reached), `stop` (a stop string) or `eos` (the end-of-sequence token). */
  readonly reason: 'length' | 'stop' | 'eos';
  /** Prompt tokens after truncation (0 for an empty prompt). */
  readonly promptTokens: number;
  /** Tokens generated, the end-of-sequence token not counted. */
  readonly generatedTokens: number;
}

/** Everything one sequence needs, defaults applied and checked. */
export interface ResolvedGeneration extends SamplingParams {
  readonly maxNewTokens: number;
  readonly minNewTokens: number;
  readonly stop: readonly string[];
  readonly seed: number;
  readonly returnFullText: boolean;
}

/** JSON Schema of `head.generate` (every property described, for the generated spec reference). */
export const generateSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'Default generation settings; each can be overridden per call.',
  properties: {
    maxNewTokens: {
      type: 'integer',
      minimum: 0,
      maximum: 100000,
      default: 50,
      description: 'Most tokens generated after the prompt.',
    },
    minNewTokens: {
      type: 'integer',
      minimum: 0,
      maximum: 100000,
      default: 0,
      description:
        'Fewest tokens generated before a stop string or the end-of-text token may end the generation (`min_new_tokens` in transformers, `min_tokens` in vLLM); at most maxNewTokens.',
    },
    temperature: {
      type: 'number',
      minimum: 0,
      maximum: 100,
      default: 1,
      description: 'Divides the logits before sampling; 0 means greedy decoding (always the most likely token).',
    },
    topK: {
      type: 'integer',
      minimum: 0,
      maximum: 1000000,
      default: 0,
      description: 'Sample among the k most likely tokens only; 0 turns top-k off.',
    },
    topP: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 1,
      description:
        'Nucleus sampling: the smallest set of most likely tokens whose probability reaches topP; 1 turns it off.',
    },
    repetitionPenalty: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 100,
      default: 1,
      description: 'CTRL repetition penalty over prompt and generated tokens (as in transformers); 1 turns it off.',
    },
    stop: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 1000 },
      maxItems: 16,
      default: [],
      description: 'Generation ends before the first of these strings appears; the stop string is not returned.',
    },
    seed: {
      type: 'integer',
      minimum: 0,
      maximum: 4294967295,
      description:
        'Seed of the sampler, so that the same prompt gives the same text; omitted, every call draws its own seed.',
    },
  },
};

/** JSON Schema of text generation's call options (checked by the runtime before a call runs). */
export const generationCallOptions: JsonSchema = {
  type: 'object',
  properties: {
    ...asCallOptions(generateSchema['properties'] as Record<string, JsonSchema>),
    returnFullText: {
      type: 'boolean',
      description:
        'Return the prompt followed by the generated text (`run` only; `stream` yields the new text). Default true.',
    },
    ...TRUNCATION_CALL_OPTIONS,
    onEnd: {
      [KEYWORD_FUNCTION]: true,
      description: 'Called once per input when its generation ends normally, with why it ended and its token counts.',
    },
  },
};

/** Merges spec defaults and call options (whose types and bounds the call-option schema checked). */
export function resolveGeneration(defaults: GenerateSettings, options: GenerationOptions): ResolvedGeneration {
  const pick = <K extends keyof GenerateSettings>(
    key: K,
    fallback: NonNullable<GenerateSettings[K]>,
  ): NonNullable<GenerateSettings[K]> => options[key] ?? defaults[key] ?? fallback;
  const maxNewTokens = pick('maxNewTokens', 50);
  // A spec default above a call's smaller maxNewTokens gives way; a call asking for both is refused.
  const minNewTokens = options.minNewTokens ?? Math.min(defaults.minNewTokens ?? 0, maxNewTokens);
  if (minNewTokens > maxNewTokens) {
    throw E.OPTION_INVALID(`minNewTokens (${minNewTokens}) is more than maxNewTokens (${maxNewTokens})`, {
      pointer: '/options/minNewTokens',
      expected: `at most maxNewTokens, ${maxNewTokens}`,
    });
  }
  return {
    maxNewTokens,
    minNewTokens,
    temperature: pick('temperature', 1),
    topK: pick('topK', 0),
    topP: pick('topP', 1),
    repetitionPenalty: pick('repetitionPenalty', 1),
    stop: pick('stop', []).filter((s) => s.length > 0),
    seed: options.seed ?? defaults.seed ?? randomSeed(),
    returnFullText: options.returnFullText ?? true,
  };
}

function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296);
}

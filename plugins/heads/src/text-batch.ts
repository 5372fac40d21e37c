import { RuntimeErrors as E, type JsonSchema, type Logger, type TensorData, type TokenizerPart } from '@recur/runtime';

export type Truncation = 'right' | 'left' | 'off';

/** How inputs longer than the pipeline's limit are handled. */
export interface TruncationOptions {
  /**
   * What happens to an input longer than `maxInputTokens`: `right` cuts its end, `left` cuts its
   * start (keeps the latest text), `off` refuses it with RECUR_E_INPUT_TOO_LONG.
   * @defaultValue the spec's `runtime.truncation`, else `right`
   */
  readonly truncation?: Truncation;
  /** Token limit per input. @defaultValue the spec's `runtime.maxInputTokens`, else 512 */
  readonly maxInputTokens?: number;
}

/** Call-option schemas of `truncation` and `maxInputTokens`, shared by every text task. */
export const TRUNCATION_CALL_OPTIONS: Readonly<Record<string, JsonSchema>> = {
  truncation: {
    type: 'string',
    enum: ['right', 'left', 'off'],
    description:
      "An input longer than `maxInputTokens`: `right` cuts its end, `left` cuts its start (keeps the latest text), each with a logged warning naming the input; `off` refuses it with RECUR_E_INPUT_TOO_LONG. Default: the spec's `runtime.truncation`.",
  },
  maxInputTokens: {
    type: 'integer',
    minimum: 1,
    maximum: 1000000,
    description: "Token limit per input. Default: the spec's `runtime.maxInputTokens` (512 when unset).",
  },
};

/** A padded time-major batch ready for a unit: ids [T, B] int64, lengths [B] int32. */
export interface TextBatch {
  readonly ids: TensorData;
  readonly lengths: TensorData;
  readonly size: number;
}

/** Accepts one string or an array of strings; anything else is a coded input error. */
export function readTextInputs(inputs: readonly unknown[], task?: { readonly refuseEmpty: string }): string[] {
  return inputs.map((input, i) => {
    if (typeof input !== 'string') {
      throw E.INPUT_INVALID(`input ${i} must be a string, got ${input === null ? 'null' : typeof input}`, {
        pointer: `/${i}`,
        expected: 'string',
      });
    }
    if (task && input.trim() === '') {
      throw E.INPUT_EMPTY(
        `input ${i} is ${input === '' ? 'empty' : 'only whitespace'}: ${task.refuseEmpty} has nothing to answer for it`,
        { pointer: `/${i}`, expected: 'a text with at least one non-space character' },
      );
    }
    return input;
  });
}

/** Says once per call which inputs were cut to the token limit, and how to refuse them instead. */
export function warnTruncated(
  logger: Logger | undefined,
  cut: readonly { index: number; tokens: number }[],
  limit: number,
  side: Truncation,
): void {
  if (!logger || cut.length === 0) return;
  const shown = cut
    .slice(0, 5)
    .map((c) => `input ${c.index} (${c.tokens} tokens)`)
    .join(', ');
  const more = cut.length > 5 ? ` and ${cut.length - 5} more` : '';
  logger.warn(
    `${shown}${more} ${cut.length === 1 ? 'is' : 'are'} longer than the limit of ${limit} tokens and ${cut.length === 1 ? 'was' : 'were'} cut (${side === 'left' ? 'the start dropped' : 'the end dropped'}); the result reads only the kept part. Pass truncation "off" (call option, or runtime.truncation in the spec) to refuse such inputs with RECUR_E_INPUT_TOO_LONG.`,
    { inputs: cut.map((c) => c.index), limit },
  );
}

/**
 * Tokenises texts into one padded batch. An empty text (or one the tokenizer maps to no ids) runs
 * as a single padding or unknown token, so every sequence has length >= 1.
 */
export function encodeBatch(
  tokenizer: TokenizerPart,
  texts: readonly string[],
  options: TruncationOptions,
  spec: Readonly<Record<string, unknown>>,
  logger?: Logger,
  /** The caller's index of each text (errors and warnings name it). @defaultValue the position in `texts` */
  indexOf: (position: number) => number = (b) => b,
): TextBatch {
  const rt = (spec['runtime'] ?? {}) as Record<string, unknown>;
  const limit = options.maxInputTokens ?? (typeof rt['maxInputTokens'] === 'number' ? rt['maxInputTokens'] : 512);
  const truncation: Truncation = options.truncation ?? (isTruncation(rt['truncation']) ? rt['truncation'] : 'right');
  if (!isTruncation(truncation)) {
    throw E.OPTION_INVALID(`truncation must be "right", "left" or "off", got ${JSON.stringify(truncation)}`, {
      pointer: '/options/truncation',
      expected: 'right | left | off',
    });
  }
  if (!Number.isInteger(limit) || limit < 1) {
    throw E.OPTION_INVALID(`maxInputTokens must be a positive integer, got ${JSON.stringify(limit)}`, {
      pointer: '/options/maxInputTokens',
      expected: 'integer >= 1',
    });
  }
  const filler = tokenizer.special.pad ?? tokenizer.special.unk ?? 0;
  const cut: { index: number; tokens: number }[] = [];
  const seqs = texts.map((text, b) => {
    const i = indexOf(b);
    let ids = tokenizer.encode(text);
    if (ids.length > limit) {
      if (truncation === 'off') {
        throw E.INPUT_TOO_LONG(`input ${i} has ${ids.length} tokens, more than the limit of ${limit}`, {
          pointer: `/${i}`,
          expected: `at most ${limit} tokens, or truncation "right"/"left"`,
          limit,
        });
      }
      cut.push({ index: i, tokens: ids.length });
      ids = truncation === 'left' ? ids.slice(ids.length - limit) : ids.slice(0, limit);
    }
    return ids.length > 0 ? ids : [filler];
  });
  warnTruncated(logger, cut, limit, truncation);
  const T = Math.max(...seqs.map((s) => s.length));
  const B = seqs.length;
  const ids = new BigInt64Array(T * B).fill(BigInt(filler));
  const lengths = new Int32Array(B);
  seqs.forEach((seq, b) => {
    lengths[b] = seq.length;
    for (let t = 0; t < seq.length; t++) ids[t * B + b] = BigInt(seq[t]);
  });
  return {
    ids: { dtype: 'int64', dims: [T, B], data: ids },
    lengths: { dtype: 'int32', dims: [B], data: lengths },
    size: B,
  };
}

function isTruncation(v: unknown): v is Truncation {
  return v === 'right' || v === 'left' || v === 'off';
}

import { RuntimeErrors as E, type Logger, type TokenizerPart } from '@recur/runtime';
import { warnTruncated } from '../text-batch.js';
import type { GenerationOptions } from './generation-options.js';

/** A prompt ready for prefill. */
export interface PromptIds {
  /** What the model reads first; never empty. */
  readonly ids: readonly number[];
  /** The prompt's own ids (empty for an empty prompt), which the decoder joins generated text to. */
  readonly textIds: readonly number[];
}

/**
 * Tokenises a prompt (without a trailing end-of-sequence token) and applies the token limit: `left` keeps the end of a long prompt (the text
 * a language model continues), `right` keeps its start, `off` refuses it with RECUR_E_INPUT_TOO_LONG.
 * An empty prompt starts from the tokenizer's `bos` token, else from the encoding of a newline,
 * else from its `unk`/`pad`/0 token, so that the model always has a first input.
 */
export function encodePrompt(
  tokenizer: TokenizerPart,
  prompt: string,
  index: number,
  options: GenerationOptions,
  spec: Readonly<Record<string, unknown>>,
  logger?: Logger,
): PromptIds {
  const rt = (spec['runtime'] ?? {}) as Record<string, unknown>;
  const limit = options.maxInputTokens ?? (typeof rt['maxInputTokens'] === 'number' ? rt['maxInputTokens'] : 512);
  const mode =
    options.truncation ??
    (typeof rt['truncation'] === 'string' ? (rt['truncation'] as 'left' | 'right' | 'off') : 'left');
  if (!Number.isInteger(limit) || limit < 1) {
    throw E.OPTION_INVALID(`option maxInputTokens must be a positive integer, got ${JSON.stringify(limit)}`, {
      pointer: '/options/maxInputTokens',
      expected: 'integer >= 1',
    });
  }
  if (mode !== 'left' && mode !== 'right' && mode !== 'off') {
    throw E.OPTION_INVALID(`option truncation must be "left", "right" or "off", got ${JSON.stringify(mode)}`, {
      pointer: '/options/truncation',
      expected: 'left | right | off',
    });
  }
  let ids = tokenizer.encode(prompt);
  // A prompt is unfinished text: a tokenizer template that closes every text with its end token
  // (`[SEP]`, `</s>`) would tell the model the text is over.
  const eos = tokenizer.special.eos;
  while (eos !== undefined && ids.length > 0 && ids[ids.length - 1] === eos) ids = ids.slice(0, -1);
  if (ids.length > limit) {
    if (mode === 'off') {
      throw E.INPUT_TOO_LONG(`prompt ${index} has ${ids.length} tokens, more than the limit of ${limit}`, {
        pointer: `/${index}`,
        expected: `at most ${limit} tokens, or truncation "left" or "right"`,
        limit,
      });
    }
    warnTruncated(logger, [{ index, tokens: ids.length }], limit, mode);
    ids = mode === 'left' ? ids.slice(ids.length - limit) : ids.slice(0, limit);
  }
  if (ids.length > 0) return { ids, textIds: ids };
  return { ids: [startToken(tokenizer)], textIds: [] };
}

function startToken(tokenizer: TokenizerPart): number {
  if (tokenizer.special.bos !== undefined) return tokenizer.special.bos;
  const newline = tokenizer.encode('\n');
  if (newline.length > 0) return newline[newline.length - 1];
  return tokenizer.special.unk ?? tokenizer.special.pad ?? 0;
}

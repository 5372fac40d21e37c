import { RuntimeErrors as E, type TokenizerPart } from '@recur/runtime';
import { mulberry32 } from '@recur/runtime/internal';
import { GeneratedText } from '../decoding/generated-text.js';
import { chooseToken, SeenTokens, suppressTokens } from '../sampling/token-sampler.js';
import type { ResolvedGeneration } from './generation-options.js';
import type { PromptIds } from './prompt-ids.js';

/**
 * Tokens a language model never generates: padding, unknown and start tokens carry no text (the
 * end token, when the tokenizer has one, ends the sequence instead).
 */
export function silentTokens(tokenizer: TokenizerPart): number[] {
  const { pad, unk, bos, eos } = tokenizer.special;
  return [...new Set([pad, unk, bos].filter((id): id is number => id !== undefined && id !== eos))];
}

/** Why a generation ended, in OpenAI's words plus `eos` (the model's end-of-sequence token). */
export type FinishReason = 'length' | 'stop' | 'eos';

/** Where a sequence reports to: its pieces as they are made, then its end or its failure. */
export interface SequenceListener {
  piece?(text: string): void;
  end(text: string, reason: FinishReason): void;
  fail(error: unknown): void;
}

/**
 * One generation in the running batch: its sampler (seeded per sequence, so that its tokens do not
 * depend on which other sequences share the batch), the ids it has seen, its text and its listener.
 * Between session runs it holds the logits of its next token (a row of the last run's output).
 */
export class GenerationSequence {
  readonly generatedIds: number[] = [];
  /** Row of the latest logits: the scores of this sequence's next token. */
  logits: Float32Array | undefined;
  /** The token this sequence feeds in the next step. */
  nextToken = -1;
  private ended = false;
  private abortRequested = false;
  private readonly cleanups: (() => void)[] = [];
  private readonly text: GeneratedText;
  private readonly seen: SeenTokens;
  private readonly random: () => number;
  private readonly silent: readonly number[];

  constructor(
    readonly prompt: PromptIds,
    readonly params: ResolvedGeneration,
    tokenizer: TokenizerPart,
    vocabSize: number,
    private readonly listener: SequenceListener,
    readonly signal?: AbortSignal,
  ) {
    this.text = new GeneratedText(tokenizer, prompt.textIds, params.stop);
    this.seen = new SeenTokens(vocabSize, prompt.ids);
    this.random = mulberry32(params.seed);
    this.silent = silentTokens(tokenizer);
  }

  get done(): boolean {
    return this.ended;
  }

  /** Runs `f` once when the sequence ends or fails (removing its abort listener, for example). */
  onSettled(f: () => void): void {
    if (this.ended) f();
    else this.cleanups.push(f);
  }

  /** Asks the batch loop to drop this sequence before its next step (abort, consumer gone). */
  requestAbort(): void {
    this.abortRequested = true;
  }

  get abortPending(): boolean {
    return this.abortRequested || this.signal?.aborted === true;
  }

  /**
   * Chooses the next token from `logits`. Returns true when the sequence goes on (with `nextToken`
   * set), false when it ended: length limit, the end-of-sequence token, or a stop string.
   */
  chooseNext(eos: number | undefined): boolean {
    if (this.ended) return false;
    if (this.generatedIds.length >= this.params.maxNewTokens || !this.logits) return this.end('length');
    suppressTokens(this.logits, this.silent);
    // Before minNewTokens tokens, the end-of-text token is not a choice (transformers' MinNewTokensLengthLogitsProcessor).
    if (eos !== undefined && this.generatedIds.length < this.params.minNewTokens) suppressTokens(this.logits, [eos]);
    const token = chooseToken(this.logits, this.params, this.seen, this.random);
    this.logits = undefined;
    if (eos !== undefined && token === eos) return this.end('eos');
    this.generatedIds.push(token);
    this.seen.add(token);
    // Stop strings count only in the text after the first minNewTokens tokens.
    const step = this.text.push(token, this.generatedIds.length > this.params.minNewTokens);
    if (step.piece) this.listener.piece?.(step.piece);
    if (step.stopped) return this.end('stop');
    if (this.generatedIds.length >= this.params.maxNewTokens) return this.end('length');
    this.nextToken = token;
    return true;
  }

  /** Ends the sequence normally; the held-back text is flushed first. */
  end(reason: FinishReason): false {
    if (this.ended) return false;
    this.ended = true;
    this.settle();
    const rest = this.text.finish();
    if (rest) this.listener.piece?.(rest);
    this.listener.end(this.text.text, reason);
    return false;
  }

  /** Ends the sequence with an error (abort, session failure, disposal). */
  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.settle();
    this.listener.fail(error);
  }

  private settle(): void {
    for (const f of this.cleanups.splice(0)) f();
  }

  /** Fails with RECUR_E_ABORTED when the signal fired or the consumer left; true if it did. */
  failIfAborted(): boolean {
    if (!this.abortPending) return false;
    this.fail(E.ABORTED('generation was aborted', { pointer: '/signal' }));
    return true;
  }
}

import type { TokenizerPart } from '@recur/runtime';

/** Ids decoded before the generated ones so that the tokenizer joins them as in the full text. */
const CONTEXT_IDS = 4;
/** After this many ids the decode window moves on, so decoding stays linear in the output length. */
const WINDOW_IDS = 16;
const REPLACEMENT = '\uFFFD';

/** What one new token changed: the text that may be shown now, and whether a stop sequence ended it. */
export interface TextStep {
  readonly piece: string;
  readonly stopped: boolean;
}

/**
 * The text of a generation as it grows token by token, cut into pieces that are safe to show:
 *
 * - never half a character: a byte-level tokenizer may need several tokens for one UTF-8
 *   character, and decoding the first of them gives U+FFFD; trailing U+FFFD is held back until the
 *   next token completes it (or the generation ends);
 * - never a surrogate pair split in two;
 * - never text that could still turn out to be the start of a stop sequence: the longest suffix
 *   that is a prefix of a stop string is held back; when a stop string appears, the text ends just
 *   before it (the stop string itself is not part of the result, as in OpenAI's API).
 *
 * Decoding: the ids since the last window start are decoded together with a few ids before them
 * (the end of the prompt, at first), and the context's own decoding is cut off, so spacing rules
 * of the tokenizer's decoder (WordPiece `##`, Metaspace) apply as in the whole text.
 * The concatenation of every piece is the final text.
 */
export class GeneratedText {
  private committed = '';
  private windowIds: number[] = [];
  private contextIds: number[];
  private contextText: string;
  private readonly allIds: number[] = [];
  private current = '';
  private emitted = 0;
  private shown = '';
  private done = false;
  private readonly longestStop: number;

  constructor(
    private readonly tokenizer: TokenizerPart,
    promptIds: readonly number[],
    private readonly stops: readonly string[] = [],
  ) {
    this.contextIds = promptIds.slice(-CONTEXT_IDS);
    this.contextText = this.contextIds.length > 0 ? tokenizer.decode(this.contextIds, { skipSpecialTokens: true }) : '';
    this.longestStop = Math.max(0, ...stops.map((s) => s.length));
  }

  /** Everything shown so far. */
  get text(): string {
    return this.shown;
  }

  get finished(): boolean {
    return this.done;
  }

  /**
   * Adds one generated id; returns the new piece to show (possibly empty). With `stopsActive` false
   * (the first `minNewTokens` tokens) stop strings are neither looked for nor held back: the text is
   * shown as it comes, and a later stop string is looked for only after it.
   */
  push(id: number, stopsActive = true): TextStep {
    if (this.done) return { piece: '', stopped: true };
    this.allIds.push(id);
    this.windowIds.push(id);
    this.current = this.committed + this.decodeWindow();
    const stopAt = stopsActive ? this.findStop() : -1;
    if (stopAt >= 0) {
      this.done = true;
      return { piece: this.emitUpTo(stopAt), stopped: true };
    }
    const piece = this.emitUpTo(this.safeEnd(stopsActive));
    this.maybeMoveWindow();
    return { piece, stopped: false };
  }

  /** Ends the text (length limit, end of sequence, abort): returns whatever was held back. */
  finish(): string {
    if (this.done) return '';
    this.done = true;
    return this.emitUpTo(this.current.length);
  }

  private decodeWindow(): string {
    const full = this.tokenizer.decode([...this.contextIds, ...this.windowIds], { skipSpecialTokens: true });
    if (this.contextText.length === 0) return full;
    if (full.startsWith(this.contextText)) return full.slice(this.contextText.length);
    // The decoder did not reproduce the context as a prefix: decode the window alone.
    return this.tokenizer.decode(this.windowIds, { skipSpecialTokens: true });
  }

  /** Index of the earliest stop string in the text not yet shown, or -1. */
  private findStop(): number {
    let best = -1;
    for (const stop of this.stops) {
      if (stop.length === 0) continue;
      const at = this.current.indexOf(stop, this.emitted);
      if (at >= 0 && (best < 0 || at < best)) best = at;
    }
    return best;
  }

  private safeEnd(stopsActive: boolean): number {
    let end = this.current.length;
    while (end > this.emitted && this.current[end - 1] === REPLACEMENT) end--;
    if (stopsActive) end -= this.heldStopPrefix(end);
    return end;
  }

  /** Length of the longest suffix of current[emitted, end) that a stop string begins with. */
  private heldStopPrefix(end: number): number {
    const available = Math.min(end - this.emitted, this.longestStop - 1);
    for (let len = available; len > 0; len--) {
      const suffix = this.current.slice(end - len, end);
      if (this.stops.some((s) => s.length > len && s.startsWith(suffix))) return len;
    }
    return 0;
  }

  private emitUpTo(end: number): string {
    let cut = end;
    // Never end a piece between the two halves of a surrogate pair.
    if (cut > this.emitted && cut < this.current.length && isHighSurrogate(this.current.charCodeAt(cut - 1))) cut--;
    if (cut <= this.emitted) return '';
    const piece = this.current.slice(this.emitted, cut);
    this.emitted = cut;
    this.shown += piece;
    return piece;
  }

  /** Starts a new decode window once the shown text has caught up with a long enough window. */
  private maybeMoveWindow(): void {
    if (this.windowIds.length < WINDOW_IDS || this.emitted !== this.current.length) return;
    this.committed = this.current;
    this.contextIds = this.allIds.slice(-CONTEXT_IDS);
    this.contextText = this.tokenizer.decode(this.contextIds, { skipSpecialTokens: true });
    this.windowIds = [];
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

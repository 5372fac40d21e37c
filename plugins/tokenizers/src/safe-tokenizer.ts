import type { HfTokenizer } from './hf-library.js';
import { RuntimeErrors, type Logger, type TokenizerPart } from '@recur/runtime';
import { findSpecialIds, type AddedTokenEntry } from './special-tokens.js';

export type SafeTokenizerOptions = {
  /** Add the tokenizer's special tokens (`[CLS] ... [SEP]`, `<s> ... </s>`, T5's `</s>`). @defaultValue true */
  readonly addSpecialTokens?: boolean;
  /** At most this many ids per text; longer texts lose their end, keeping the special tokens. */
  readonly maxLength?: number;
};

/**
 * Longest run of text handed to the library at once when it fails on a whole text. The Unigram model
 * of @huggingface/tokenizers 0.2.0 overflows the call stack on a word of ~300,000 characters
 * (`push(...tokens)`); pieces this size are far from that.
 */
const CHUNK_CHARS = 20_000;

/**
 * A TokenizerPart over a @huggingface/tokenizers `Tokenizer` that never throws on a string:
 * - if the library throws on a text, the text is encoded again in pieces (cut at whitespace where
 *   possible), and a piece that still fails becomes the unknown token, with a logged warning;
 * - ids the library returns outside [0, vocabSize) (a BPE without an unknown token meeting a
 *   character it lacks) become the unknown token, or are dropped when there is none;
 * - `decode` skips ids that name no token, as the Rust library does, and returns '' for none.
 */
export class SafeTokenizer implements TokenizerPart {
  readonly vocabSize: number;
  readonly special: TokenizerPart['special'];
  private readonly addSpecialTokens: boolean;
  private readonly maxLength: number | undefined;
  /** What the post-processor puts before and after a single text (`[CLS]` / `[SEP]`). */
  private readonly template: { readonly prefix: readonly number[]; readonly suffix: readonly number[] };

  constructor(
    private readonly inner: HfTokenizer,
    added: readonly AddedTokenEntry[],
    private readonly source: string,
    private readonly logger: Logger,
    options: SafeTokenizerOptions = {},
  ) {
    this.vocabSize = inner.model?.vocab.length ?? 0;
    const modelUnk = inner.model?.unk_token_id;
    this.special = findSpecialIds(
      added,
      typeof modelUnk === 'number' && modelUnk >= 0 && modelUnk < this.vocabSize ? modelUnk : undefined,
    );
    this.addSpecialTokens = options.addSpecialTokens ?? true;
    this.maxLength = options.maxLength;
    this.template = this.findTemplate();
  }

  // `unknown`: JavaScript callers and plugins reach this without the compiler's check.
  encode(text: unknown): number[] {
    if (typeof text !== 'string')
      throw RuntimeErrors.INPUT_INVALID(
        `tokenizer ${this.source}: expected a string to encode, got ${text === null ? 'null' : typeof text}`,
      );
    let ids = this.tryEncode(text, this.addSpecialTokens);
    if (ids === undefined) ids = this.encodeInPieces(text);
    ids = this.validIds(ids);
    return this.maxLength !== undefined && ids.length > this.maxLength ? this.truncate(ids, this.maxLength) : ids;
  }

  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    const known = ids.filter(
      (id) => Number.isInteger(id) && id >= 0 && id < this.vocabSize && this.inner.id_to_token(id) !== undefined,
    );
    if (known.length === 0) return '';
    try {
      return this.inner.decode(known, { skip_special_tokens: options.skipSpecialTokens ?? false });
    } catch (err) {
      this.logger.warn(
        `tokenizer ${this.source}: the library failed to decode ${known.length} ids (${(err as Error).message}); joining their tokens instead`,
      );
      return known.map((id) => this.inner.id_to_token(id)).join('');
    }
  }

  tokenToId(token: unknown): number | undefined {
    if (typeof token !== 'string') return undefined;
    const id = this.inner.token_to_id(token);
    return typeof id === 'number' ? id : undefined;
  }

  private tryEncode(text: string, addSpecialTokens: boolean): number[] | undefined {
    try {
      return this.inner.encode(text, { add_special_tokens: addSpecialTokens }).ids;
    } catch {
      return undefined;
    }
  }

  private encodeInPieces(text: string): number[] {
    const content: number[] = [];
    let failed = 0;
    for (const piece of splitText(text, CHUNK_CHARS)) {
      const ids = this.tryEncode(piece, false);
      if (ids) {
        for (const id of ids) content.push(id);
      } else {
        failed += 1;
        if (this.special.unk !== undefined) content.push(this.special.unk);
      }
    }
    this.logger.warn(
      `tokenizer ${this.source}: the library failed on a text of ${text.length} characters; encoded it in pieces${failed ? ` (${failed} piece(s) became the unknown token)` : ''}`,
    );
    if (!this.addSpecialTokens) return content;
    return [...this.template.prefix, ...content, ...this.template.suffix];
  }

  private validIds(ids: readonly unknown[]): number[] {
    const out: number[] = [];
    for (const id of ids) {
      if (typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < this.vocabSize) out.push(id);
      else if (this.special.unk !== undefined) out.push(this.special.unk);
    }
    return out;
  }

  /** Cuts the text's own ids, keeping the template's special tokens at both ends. */
  private truncate(ids: number[], max: number): number[] {
    const { prefix, suffix } = this.addSpecialTokens ? this.template : { prefix: [], suffix: [] };
    const frame = prefix.length + suffix.length;
    if (max <= frame || !startsWith(ids, prefix) || !startsWith(ids.slice(ids.length - suffix.length), suffix))
      return ids.slice(0, max);
    return [...ids.slice(0, prefix.length + (max - frame)), ...suffix];
  }

  /** Learns the special tokens around a single text by encoding one probe with and without them. */
  private findTemplate(): { prefix: number[]; suffix: number[] } {
    const bare = this.tryEncode('a', false);
    const framed = this.tryEncode('a', true);
    if (!bare || !framed || bare.length === 0) return { prefix: [], suffix: [] };
    for (let at = 0; at + bare.length <= framed.length; at++) {
      if (bare.every((id, i) => framed[at + i] === id))
        return { prefix: framed.slice(0, at), suffix: framed.slice(at + bare.length) };
    }
    return { prefix: [], suffix: [] };
  }
}

function startsWith(ids: readonly number[], head: readonly number[]): boolean {
  return head.every((id, i) => ids[i] === id);
}

/** Splits text into pieces of at most `size` UTF-16 units, at the last whitespace when there is one, never inside a surrogate pair. */
export function splitText(text: string, size: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > size) {
    let end = start + size;
    const window = text.slice(start, end);
    const space = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\n'), window.lastIndexOf('\t'));
    if (space > 0) end = start + space + 1;
    else if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  pieces.push(text.slice(start));
  return pieces;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

import type { NormalizationOptions } from './normalization.js';
import type { TokenizerJson } from './tokenizer-json.js';

/** Options every tokenizer trainer takes. */
export interface TokenizerTrainOptions {
  /** Normalisation applied before splitting (also written into the file). @defaultValue none */
  readonly normalize?: NormalizationOptions;
  /** Special tokens, ids 0..n-1 in this order. @defaultValue SPECIAL_TOKENS.classification (`[PAD]`, `[UNK]`) */
  readonly specialTokens?: readonly string[];
  /**
   * Total number of ids, special tokens included; the most frequent units are kept. Unset: every unit
   * that reaches `minFrequency` (character and word tokenizers); BPE requires it.
   */
  readonly vocabSize?: number;
  /** Units (characters, words, merged pairs) seen fewer times are left out. @defaultValue 1 (BPE: 2) */
  readonly minFrequency?: number;
  /**
   * Special tokens the tokenizer adds around every text (a TemplateProcessing post-processor), such
   * as `{ bos: '<s>', eos: '</s>' }` for a translation target. @defaultValue none
   */
  readonly wrap?: { readonly bos?: string; readonly eos?: string };
}

/** What a trainer returns. */
export interface TrainedTokenizer {
  /** The tokenizer.json content; write it with writeTokenizerJson. */
  readonly json: TokenizerJson;
  /** Number of ids, special tokens included. */
  readonly vocabSize: number;
  /** Units seen in the corpus and units kept (characters, words, or BPE symbols before merges); words added beside the corpus's. */
  readonly stats: { readonly seen: number; readonly kept: number; readonly merges?: number; readonly extra?: number };
}

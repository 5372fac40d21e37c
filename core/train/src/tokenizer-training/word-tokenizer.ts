import { TrainErrors } from '../errors.js';
import type { TokenizerTrainOptions, TrainedTokenizer } from './common-options.js';
import { normalizerFunction, normalizerJson } from './normalization.js';
import { rankUnits } from './rank-units.js';
import { checkMinFrequency, checkSpecialTokens, checkVocabSize, checkWrap, SPECIAL_TOKENS } from './special-tokens.js';
import { addedTokens, wrapTemplate } from './tokenizer-json.js';
import { splitPreTokenizer, splitWords, wordPattern, type WordSplit } from './word-split.js';

/** Options of {@link trainWordTokenizer}. */
export interface WordTokenizerOptions extends TokenizerTrainOptions {
  /** How text is cut into words. @defaultValue 'words-punctuation' */
  readonly split?: WordSplit;
  /**
   * Words to know besides those of the corpus, such as the most frequent words of pretrained vectors,
   * so that a word met only at run time keeps its pretrained meaning instead of becoming the unknown
   * token. Added after the corpus's words (not counted against `vocabSize`), in order, skipping words
   * already known and words this tokenizer could never produce (not normalised, or not cut out of
   * text as one word).
   */
  readonly extraWords?: Iterable<string>;
}

/** Whether `word` is something the tokenizer can produce: already normalised, and one word when split. */
export function isProducibleWord(word: string, normalize: (text: string) => string, pattern: string): boolean {
  if ([...word].length > MAX_WORD_CHARS || normalize(word) !== word) return false;
  const pieces = splitWords(word, pattern);
  return pieces.length === 1 && pieces[0] === word;
}

/** Longest word the tokenizer looks up; longer ones are unknown (WordPiece's own limit, here raised). */
const MAX_WORD_CHARS = 200;

/**
 * Trains a word tokenizer: one id per word (and punctuation mark) seen `minFrequency` times, the most
 * frequent `vocabSize` kept, every other word the unknown token, which the special tokens must
 * include (`[UNK]` or `<unk>`).
 *
 * Written as a WordPiece model whose vocabulary holds whole words only: @huggingface/tokenizers has no
 * WordLevel model, and a WordPiece model with no `##` pieces maps a word it lacks to the unknown token
 * whole, as WordLevel would. Decoding joins words with spaces and closes up the space before
 * punctuation (WordPiece's cleanup); it does not restore the original spacing.
 */
export function trainWordTokenizer(corpus: Iterable<string>, options: WordTokenizerOptions = {}): TrainedTokenizer {
  const specials = options.specialTokens ?? SPECIAL_TOKENS.classification;
  checkSpecialTokens(specials);
  checkWrap(options.wrap, specials);
  checkMinFrequency(options.minFrequency);
  checkVocabSize(options.vocabSize, specials.length + 1, `${specials.length} special token(s) and at least one word`);
  const unk = specials.find((s) => s === '[UNK]' || s === '<unk>');
  if (unk === undefined)
    throw TrainErrors.TOKENIZER_TRAIN_OPTIONS(
      'a word tokenizer needs an unknown token among its special tokens ([UNK] or <unk>)',
      { expected: '["[PAD]", "[UNK]", ...]' },
    );
  const pattern = wordPattern(options.split ?? 'words-punctuation');
  const normalize = normalizerFunction(options.normalize);
  const counts = new Map<string, number>();
  for (const text of corpus) {
    for (const word of splitWords(normalize(text), pattern)) {
      if ([...word].length <= MAX_WORD_CHARS) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  for (const s of specials) counts.delete(s);
  if (counts.size === 0)
    throw TrainErrors.TOKENIZER_TRAIN_EMPTY_CORPUS('the corpus holds no word to build a word tokenizer from');
  const words = rankUnits(counts, options.minFrequency ?? 1, (options.vocabSize ?? Infinity) - specials.length);
  const ids = new Map<string, number>();
  specials.forEach((s, i) => ids.set(s, i));
  for (const w of words) ids.set(w, ids.size);
  let extra = 0;
  for (const w of options.extraWords ?? []) {
    if (ids.has(w) || !isProducibleWord(w, normalize, pattern)) continue;
    ids.set(w, ids.size);
    extra++;
  }
  return {
    json: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: addedTokens(specials),
      normalizer: normalizerJson(options.normalize),
      pre_tokenizer: splitPreTokenizer(pattern),
      model: {
        type: 'WordPiece',
        unk_token: unk,
        continuing_subword_prefix: '##',
        max_input_chars_per_word: MAX_WORD_CHARS,
        vocab: Object.fromEntries(ids),
      },
      post_processor: wrapTemplate(options.wrap, ids),
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    },
    vocabSize: ids.size,
    stats: { seen: counts.size, kept: words.length, ...(options.extraWords ? { extra } : {}) },
  };
}

import { TrainErrors } from '../errors.js';
import { learnMerges } from './bpe-merges.js';
import { BYTE_LEVEL_JSON, BYTE_TO_CHAR, byteLevelWords } from './byte-level.js';
import type { TokenizerTrainOptions, TrainedTokenizer } from './common-options.js';
import { normalizerFunction, normalizerJson } from './normalization.js';
import { checkMinFrequency, checkSpecialTokens, checkVocabSize, checkWrap, SPECIAL_TOKENS } from './special-tokens.js';
import { addedTokens, wrapTemplate } from './tokenizer-json.js';

/** Options of {@link trainBpeTokenizer}: `vocabSize` is required (special tokens + 256 bytes + merges). */
export interface BpeTokenizerOptions extends TokenizerTrainOptions {
  readonly vocabSize: number;
}

/**
 * Trains a byte-level BPE tokenizer, as GPT-2's: text is split by GPT-2's pattern (a word keeps its
 * leading space), each piece becomes its UTF-8 bytes (256 base symbols, so no text is ever unknown),
 * and the most frequent adjacent pairs are merged until `vocabSize` ids exist or no pair is seen
 * `minFrequency` (default 2) times. Decoding restores the text exactly:
 * `decode(encode(x)) === normalize(x)` for any well-formed string.
 */
export function trainBpeTokenizer(corpus: Iterable<string>, options: BpeTokenizerOptions): TrainedTokenizer {
  const specials = options.specialTokens ?? SPECIAL_TOKENS.classification;
  checkSpecialTokens(specials);
  checkWrap(options.wrap, specials);
  checkMinFrequency(options.minFrequency);
  checkVocabSize(
    options.vocabSize,
    specials.length + 256,
    `${specials.length} special token(s) and the 256 byte symbols`,
  );
  if (options.vocabSize === undefined)
    throw TrainErrors.TOKENIZER_TRAIN_OPTIONS('a BPE tokenizer needs a vocabSize', { expected: 'e.g. 8000' });
  const normalize = normalizerFunction(options.normalize);
  const words = new Map<string, number>();
  for (const text of corpus) {
    for (const word of byteLevelWords(normalize(text))) words.set(word, (words.get(word) ?? 0) + 1);
  }
  if (words.size === 0)
    throw TrainErrors.TOKENIZER_TRAIN_EMPTY_CORPUS('the corpus holds no text to learn BPE merges from');

  const { merges, symbols } = learnMerges(
    words,
    (w) => Array.from(w),
    BYTE_TO_CHAR,
    options.vocabSize - specials.length - 256,
    options.minFrequency ?? 2,
  );
  const ids = new Map<string, number>();
  specials.forEach((s, i) => ids.set(s, i));
  for (const s of symbols) if (!ids.has(s)) ids.set(s, ids.size);
  return {
    json: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: addedTokens(specials),
      normalizer: normalizerJson(options.normalize),
      pre_tokenizer: { ...BYTE_LEVEL_JSON.preTokenizer },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab: Object.fromEntries(ids),
        // Byte-level symbols never hold a space, so the classic "left right" string form is unambiguous.
        merges: merges.map(([a, b]) => `${a} ${b}`),
      },
      post_processor: wrapTemplate(options.wrap, ids),
      decoder: { ...BYTE_LEVEL_JSON.decoder },
    },
    vocabSize: ids.size,
    stats: { seen: words.size, kept: ids.size - specials.length, merges: merges.length },
  };
}

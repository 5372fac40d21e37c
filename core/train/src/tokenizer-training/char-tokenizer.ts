import { TrainErrors } from '../errors.js';
import type { TokenizerTrainOptions, TrainedTokenizer } from './common-options.js';
import { normalizerFunction, normalizerJson } from './normalization.js';
import { rankUnits } from './rank-units.js';
import { checkMinFrequency, checkSpecialTokens, checkVocabSize, checkWrap, SPECIAL_TOKENS } from './special-tokens.js';
import { addedTokens, wrapTemplate } from './tokenizer-json.js';

/**
 * Trains a character tokenizer for language models: one id per character (Unicode code point) of the
 * corpus, spaces, newlines and punctuation included, so that `decode(encode(x)) === normalize(x)` for
 * any text made of known characters. An unknown character becomes the unknown token when the special
 * tokens include one (`[UNK]`/`<unk>`).
 *
 * Written as a BPE model with no merges and no pre-tokenizer (the text reaches the model whole and
 * falls apart into its characters), and a Fuse decoder that joins tokens with nothing between them:
 * @huggingface/tokenizers has no WordLevel or character model, and this layout keeps whitespace.
 */
export function trainCharTokenizer(corpus: Iterable<string>, options: TokenizerTrainOptions = {}): TrainedTokenizer {
  const specials = options.specialTokens ?? SPECIAL_TOKENS.classification;
  checkSpecialTokens(specials);
  checkWrap(options.wrap, specials);
  checkMinFrequency(options.minFrequency);
  checkVocabSize(
    options.vocabSize,
    specials.length + 1,
    `${specials.length} special token(s) and at least one character`,
  );
  const normalize = normalizerFunction(options.normalize);
  const counts = new Map<string, number>();
  for (const text of corpus) {
    for (const ch of normalize(text)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  for (const s of specials) counts.delete(s);
  if (counts.size === 0)
    throw TrainErrors.TOKENIZER_TRAIN_EMPTY_CORPUS('the corpus holds no character to build a character tokenizer from');
  const limit = (options.vocabSize ?? Infinity) - specials.length;
  const chars = rankUnits(counts, options.minFrequency ?? 1, limit);
  const ids = new Map<string, number>();
  specials.forEach((s, i) => ids.set(s, i));
  for (const ch of chars) ids.set(ch, ids.size);
  const unk = specials.find((s) => s === '[UNK]' || s === '<unk>');
  return {
    json: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: addedTokens(specials),
      normalizer: normalizerJson(options.normalize),
      pre_tokenizer: null,
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: unk ?? null,
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab: Object.fromEntries(ids),
        merges: [],
      },
      post_processor: wrapTemplate(options.wrap, ids),
      decoder: { type: 'Fuse' },
    },
    vocabSize: ids.size,
    stats: { seen: counts.size, kept: chars.length },
  };
}

/** Tokenizer training: character, word and BPE tokenizers written as Hugging Face tokenizer.json files. */
export { normalizerJson, normalizerFunction, type NormalizationOptions } from './normalization.js';
export { SPECIAL_TOKENS } from './special-tokens.js';
export { writeTokenizerJson, tokenizerVocab, type TokenizerJson, type AddedTokenJson } from './tokenizer-json.js';
export type { TokenizerTrainOptions, TrainedTokenizer } from './common-options.js';
export { trainCharTokenizer } from './char-tokenizer.js';
export { WORD_PATTERNS, splitWords, wordPattern, type WordSplit } from './word-split.js';
export { trainWordTokenizer, isProducibleWord, type WordTokenizerOptions } from './word-tokenizer.js';
export { trainBpeTokenizer, type BpeTokenizerOptions } from './bpe-tokenizer.js';
export { learnMerges, type MergeResult } from './bpe-merges.js';
export { BYTE_TO_CHAR, byteLevelWords } from './byte-level.js';
export { trainTokenizer, type TokenizerTrainRequest } from './train-tokenizer.js';

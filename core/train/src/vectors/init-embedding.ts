import { mulberry32 } from '@recur/runtime/internal';
import { TrainErrors } from '../errors.js';
import type { KeepWord, WordVectors } from './word-vectors.js';

/** Options of {@link initEmbeddingRows}. */
export interface EmbeddingInitOptions {
  /** Look a token up lowercased when it has no vector as written (GloVe 6B is lowercase). @defaultValue true */
  readonly lowercaseFallback?: boolean;
  /** The embedding's dimension: vectors of another dimension are RECUR_E_DATA_VECTORS_DIM. @defaultValue the vectors' */
  readonly dim?: number;
  /** Rows set to zero whatever the vectors say (the pad token's). @defaultValue none */
  readonly zeroRows?: readonly number[];
  /** What a token with no vector gets: seeded uniform noise, or zeros. @defaultValue 'random' */
  readonly missing?: 'random' | 'zeros';
  /** Seed of the noise for missing rows. @defaultValue 0 */
  readonly seed?: number;
  /**
   * Half-width of the uniform noise. @defaultValue √3 × the standard deviation of the values found,
   * so that new rows spread like the pretrained ones
   */
  readonly scale?: number;
  /** Maps a vocabulary token to the word to look up (strip `##`, decode byte-level `Ġ`); undefined: no lookup. */
  readonly tokenToWord?: (token: string) => string | undefined;
}

/** An embedding table initialised from pretrained vectors. */
export interface EmbeddingInit {
  /** Row-major [vocab.length, dim]: row i is token i's vector. */
  readonly table: Float32Array;
  readonly dim: number;
  /** Rows filled from the vectors (`foundLowercase` of them through the lowercase fallback). */
  readonly found: number;
  readonly foundLowercase: number;
  /** Tokens with no vector (zero rows excluded), in id order. */
  readonly missing: string[];
}

/**
 * Builds a model's embedding table from pretrained vectors, keeping only the model's own rows: row i
 * is the vector of `vocab[i]` (its lowercase form as a fallback), and tokens with no vector get seeded
 * noise or zeros. The vectors' file may be huge; the table is [vocab.length, dim].
 */
export function initEmbeddingRows(
  vocab: readonly string[],
  vectors: WordVectors,
  options: EmbeddingInitOptions = {},
): EmbeddingInit {
  const dim = vectors.dim;
  if (options.dim !== undefined && options.dim !== dim) {
    throw TrainErrors.DATA_VECTORS_DIM(
      `the embedding has dimension ${options.dim} but the vectors ${vectors.source} have ${dim}`,
      { expected: `embedding dim ${dim}`, file: vectors.source },
    );
  }
  const lowercaseFallback = options.lowercaseFallback ?? true;
  const zero = new Set(options.zeroRows ?? []);
  const table = new Float32Array(vocab.length * dim);
  const missingRows: number[] = [];
  let found = 0;
  let foundLowercase = 0;
  let sum = 0;
  let sumSq = 0;
  vocab.forEach((token, id) => {
    if (zero.has(id)) return;
    const word = options.tokenToWord ? options.tokenToWord(token) : token;
    let row = word === undefined ? undefined : vectors.index.get(word);
    if (row === undefined && word !== undefined && lowercaseFallback) {
      row = vectors.index.get(word.toLowerCase());
      if (row !== undefined) foundLowercase++;
    }
    if (row === undefined) {
      missingRows.push(id);
      return;
    }
    found++;
    for (let k = 0; k < dim; k++) {
      const v = vectors.data[row * dim + k];
      table[id * dim + k] = v;
      sum += v;
      sumSq += v * v;
    }
  });
  if ((options.missing ?? 'random') === 'random' && missingRows.length > 0) {
    const n = found * dim;
    const std = n > 1 ? Math.sqrt(Math.max(0, sumSq / n - (sum / n) ** 2)) : 0.1;
    const scale = options.scale ?? Math.sqrt(3) * std;
    const random = mulberry32(options.seed ?? 0);
    for (const id of missingRows) for (let k = 0; k < dim; k++) table[id * dim + k] = (2 * random() - 1) * scale;
  }
  return { table, dim, found, foundLowercase, missing: missingRows.map((id) => vocab[id]) };
}

/** A `keep` filter for the vector readers: the vocabulary's words, and their lowercase forms. */
export function keepVocabulary(
  vocab: readonly string[],
  options: Pick<EmbeddingInitOptions, 'lowercaseFallback' | 'tokenToWord'> = {},
): KeepWord {
  const words = new Set<string>();
  for (const token of vocab) {
    const word = options.tokenToWord ? options.tokenToWord(token) : token;
    if (word === undefined) continue;
    words.add(word);
    if (options.lowercaseFallback ?? true) words.add(word.toLowerCase());
  }
  return (word) => words.has(word);
}

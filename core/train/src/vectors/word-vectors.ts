import type { SkipCounts } from '../data/bad-records.js';

/** Pretrained word vectors: `words[i]`'s vector is `data[i * dim .. (i + 1) * dim)`. */
export interface WordVectors {
  /** Where the vectors came from (a file path or a package name), for messages. */
  readonly source: string;
  readonly dim: number;
  readonly words: readonly string[];
  /** Row-major [words.length, dim]. */
  readonly data: Float32Array;
  /** Word -> row. The first row of a word wins when a file repeats it. */
  readonly index: ReadonlyMap<string, number>;
  /** Rows left out (invalid UTF-8 words, malformed rows under `onBadRecord: 'skip'`). */
  readonly skipped: SkipCounts;
}

/** Which words a reader keeps (all when absent): keeping only a model's vocabulary saves memory on big files. */
export type KeepWord = (word: string) => boolean;

/** Collects rows into a growing Float32Array. */
export class VectorRows {
  private buffer: Float32Array;
  private rows = 0;
  readonly words: string[] = [];
  readonly index = new Map<string, number>();

  constructor(
    readonly dim: number,
    initialRows = 1024,
  ) {
    this.buffer = new Float32Array(dim * initialRows);
  }

  /** Adds a row unless the word is already there; `values` holds at least `dim` numbers from `offset`. */
  add(word: string, values: ArrayLike<number>, offset = 0): boolean {
    if (this.index.has(word)) return false;
    if ((this.rows + 1) * this.dim > this.buffer.length) {
      const grown = new Float32Array(this.buffer.length * 2 + this.dim);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    const at = this.rows * this.dim;
    for (let k = 0; k < this.dim; k++) this.buffer[at + k] = values[offset + k]!;
    this.index.set(word, this.rows);
    this.words.push(word);
    this.rows += 1;
    return true;
  }

  finish(source: string, skipped: SkipCounts): WordVectors {
    return {
      source,
      dim: this.dim,
      words: this.words,
      data: this.buffer.slice(0, this.rows * this.dim),
      index: this.index,
      skipped,
    };
  }
}

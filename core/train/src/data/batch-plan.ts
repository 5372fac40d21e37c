import { TrainErrors } from '../errors.js';
import { epochRandom, shuffleInPlace } from './shuffle.js';

/**
 * How sequences of similar length are grouped into batches.
 * - `sorted-chunks`: shuffle, cut into chunks of `chunkBatches` batches, sort each chunk by length,
 *   cut it into batches (the bucketing of fairseq and torchtext's BucketIterator). Padding follows the
 *   batch's longest sequence, rounded up to `padMultiple`.
 * - `boundaries`: fixed length buckets; a sequence goes to the first boundary at or above its length
 *   and is padded to that boundary, so a model sees only `boundaries.length` (+1) distinct lengths
 *   (few shapes: few training sessions). Longer sequences form one overflow bucket padded to the
 *   longest in each batch; truncate them first if every shape must be fixed.
 */
export type Bucketing =
  | { readonly kind: 'sorted-chunks'; readonly chunkBatches?: number; readonly padMultiple?: number }
  | { readonly kind: 'boundaries'; readonly boundaries: readonly number[] };

/** Options of {@link planEpoch} and the BatchSampler. */
export interface BatchPlanOptions {
  /** Sequences per batch (the last batch of a bucket may hold fewer). */
  readonly batchSize: number;
  /** The run's seed: with the epoch number it fixes every batch. */
  readonly seed: number;
  /** @defaultValue `{ kind: 'sorted-chunks', chunkBatches: 50, padMultiple: 1 }` */
  readonly bucketing?: Bucketing;
  /** Shuffle sequences and batch order (training). `false` keeps a fixed order for evaluation. @defaultValue true */
  readonly shuffle?: boolean;
  /** Leave out batches smaller than `batchSize`. @defaultValue false */
  readonly dropLast?: boolean;
}

/** One batch: indices into the data set, and the length to pad it to. */
export interface Batch {
  /** Indices of the batch's sequences in the data set. */
  readonly indices: readonly number[];
  /** The longest sequence of the batch. */
  readonly maxLength: number;
  /** The time dimension to pad to (>= maxLength): the bucket boundary, or maxLength rounded up. */
  readonly paddedLength: number;
}

/**
 * The batches of one epoch: a pure function of the lengths, the options and the epoch number, so that
 * a resumed run rebuilds exactly the batches it was going through.
 */
export function planEpoch(lengths: ArrayLike<number>, options: BatchPlanOptions, epoch: number): Batch[] {
  checkOptions(options);
  const bucketing = options.bucketing ?? { kind: 'sorted-chunks' };
  const shuffle = options.shuffle ?? true;
  const random = epochRandom(options.seed, epoch);
  const order = Array.from({ length: lengths.length }, (_, i) => i);
  if (shuffle) shuffleInPlace(order, random);
  const batches =
    bucketing.kind === 'boundaries'
      ? boundaryBatches(order, lengths, bucketing.boundaries, options.batchSize)
      : chunkBatches(
          order,
          lengths,
          options.batchSize,
          shuffle ? (bucketing.chunkBatches ?? 50) : Infinity,
          bucketing.padMultiple ?? 1,
        );
  const kept = options.dropLast ? batches.filter((b) => b.indices.length === options.batchSize) : batches;
  if (shuffle) shuffleInPlace(kept, random);
  return kept;
}

function chunkBatches(
  order: number[],
  lengths: ArrayLike<number>,
  batchSize: number,
  chunkBatchCount: number,
  padMultiple: number,
): Batch[] {
  const chunkSize = Number.isFinite(chunkBatchCount) ? batchSize * chunkBatchCount : order.length;
  const batches: Batch[] = [];
  for (let start = 0; start < order.length; start += chunkSize) {
    // Array.prototype.sort is stable: equal lengths keep their shuffled order.
    const chunk = order.slice(start, start + chunkSize).sort((a, b) => lengths[a] - lengths[b]);
    for (let at = 0; at < chunk.length; at += batchSize) {
      const indices = chunk.slice(at, at + batchSize);
      const maxLength = maxOf(indices, lengths);
      batches.push({ indices, maxLength, paddedLength: Math.ceil(maxLength / padMultiple) * padMultiple });
    }
  }
  return batches;
}

function boundaryBatches(
  order: number[],
  lengths: ArrayLike<number>,
  boundaries: readonly number[],
  batchSize: number,
): Batch[] {
  const buckets: number[][] = Array.from({ length: boundaries.length + 1 }, () => []);
  for (const i of order) {
    const b = boundaries.findIndex((limit) => lengths[i] <= limit);
    buckets[b < 0 ? boundaries.length : b].push(i);
  }
  const batches: Batch[] = [];
  buckets.forEach((bucket, b) => {
    for (let at = 0; at < bucket.length; at += batchSize) {
      const indices = bucket.slice(at, at + batchSize);
      const maxLength = maxOf(indices, lengths);
      batches.push({ indices, maxLength, paddedLength: b < boundaries.length ? boundaries[b] : maxLength });
    }
  });
  return batches;
}

function maxOf(indices: readonly number[], lengths: ArrayLike<number>): number {
  let max = 0;
  for (const i of indices) if (lengths[i] > max) max = lengths[i]!;
  return max;
}

function checkOptions(options: BatchPlanOptions): void {
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
    throw TrainErrors.DATA_OPTIONS(`the batch size must be a positive integer, got ${options.batchSize}`, {
      expected: 'an integer >= 1',
    });
  }
  if (!Number.isInteger(options.seed))
    throw TrainErrors.DATA_OPTIONS(`the seed must be an integer, got ${options.seed}`, { expected: 'an integer' });
  const bucketing = options.bucketing;
  if (bucketing?.kind === 'boundaries') {
    const b = bucketing.boundaries;
    if (b.length === 0 || b.some((x, i) => !Number.isInteger(x) || x < 1 || (i > 0 && x <= b[i - 1]))) {
      throw TrainErrors.DATA_OPTIONS(
        `length bucket boundaries must be increasing positive integers, got [${b.join(', ')}]`,
        { expected: 'e.g. [16, 32, 64]' },
      );
    }
  } else if (bucketing?.kind === 'sorted-chunks') {
    const { chunkBatches: c = 50, padMultiple: p = 1 } = bucketing;
    if (!Number.isInteger(c) || c < 1 || !Number.isInteger(p) || p < 1) {
      throw TrainErrors.DATA_OPTIONS(`chunkBatches and padMultiple must be positive integers, got ${c} and ${p}`, {
        expected: 'integers >= 1',
      });
    }
  }
}

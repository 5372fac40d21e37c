import { TrainErrors } from '../errors.js';

/** A padded batch in Recur's time-major layout: ids [T, B] int64, lengths [B] int32. */
export interface PaddedBatch {
  /** Token ids, time-major: the id of sequence b at step t is `ids[t * batch + b]`. */
  readonly ids: BigInt64Array;
  /** The unpadded length of each sequence (after truncation to `time`). */
  readonly lengths: Int32Array;
  /** T: the padded length. */
  readonly time: number;
  /** B: the number of sequences. */
  readonly batch: number;
}

/**
 * Pads the sequences at `indices` to `time` steps with `padId`, time-major, as the parts expect at
 * their boundaries. A sequence longer than `time` is cut to its first `time` ids.
 */
export function padTimeMajor(
  sequences: readonly ArrayLike<number>[],
  indices: readonly number[],
  padId: number,
  time: number,
): PaddedBatch {
  if (!Number.isInteger(time) || time < 1)
    throw TrainErrors.DATA_OPTIONS(`the padded length must be a positive integer, got ${time}`);
  const batch = indices.length;
  const ids = new BigInt64Array(time * batch).fill(BigInt(padId));
  const lengths = new Int32Array(batch);
  indices.forEach((index, b) => {
    const seq = sequences[index];
    if (seq === undefined)
      throw TrainErrors.DATA_OPTIONS(`batch index ${index} is outside the ${sequences.length} sequences`);
    const n = Math.min(seq.length, time);
    lengths[b] = n;
    for (let t = 0; t < n; t++) ids[t * batch + b] = BigInt(seq[t]);
  });
  return { ids, lengths, time, batch };
}

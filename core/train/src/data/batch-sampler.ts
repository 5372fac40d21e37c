import { TrainErrors } from '../errors.js';
import { planEpoch, type Batch, type BatchPlanOptions } from './batch-plan.js';
import { fingerprintLengths } from './shuffle.js';

/**
 * Where a run stands in its data: the next batch to train on is batch `batch` of epoch `epoch`.
 * Saved in a checkpoint (it is plain JSON) and given back to resume at that very batch.
 */
export interface BatchCursor {
  readonly epoch: number;
  readonly batch: number;
  /** The seed the batches were planned with. */
  readonly seed: number;
  /** Number of sequences and a fingerprint of their lengths: a cursor only resumes the data it was made on. */
  readonly size: number;
  readonly fingerprint: string;
}

/** A batch handed out by the sampler, with its place in the run. */
export interface SampledBatch extends Batch {
  readonly epoch: number;
  /** 0-based index of the batch within its epoch. */
  readonly step: number;
  /** Number of batches in this epoch. */
  readonly stepsInEpoch: number;
}

/**
 * Hands out length-bucketed batches epoch after epoch, reproducibly: the batches are a function of the
 * seed, the epoch and the lengths ({@link planEpoch}). `cursor()` after a batch says where to resume;
 * a sampler built with that cursor hands out the same next batch the first run would have.
 *
 * ```ts
 * const sampler = new BatchSampler(lengths, { batchSize: 32, seed: 7 }, checkpoint?.cursor);
 * while (sampler.epoch < epochs) {
 *   const batch = sampler.next();          // indices, paddedLength, epoch, step
 *   trainOn(batch);
 *   saveCheckpoint({ ..., cursor: sampler.cursor() });
 * }
 * ```
 */
export class BatchSampler {
  private readonly lengths: ArrayLike<number>;
  private readonly fingerprint: string;
  private currentEpoch: number;
  private position: number;
  private plan: { readonly epoch: number; readonly batches: readonly Batch[] } | undefined;

  constructor(
    lengths: ArrayLike<number>,
    private readonly options: BatchPlanOptions,
    resume?: BatchCursor,
  ) {
    if (lengths.length === 0) throw TrainErrors.DATA_EMPTY('no sequences to batch');
    this.lengths = lengths;
    this.fingerprint = fingerprintLengths(lengths);
    this.currentEpoch = 0;
    this.position = 0;
    if (resume) this.restore(resume);
  }

  /** The epoch the next batch belongs to. */
  get epoch(): number {
    return this.currentEpoch;
  }

  /** Number of batches in the current epoch. */
  get stepsInEpoch(): number {
    return this.batchesOf(this.currentEpoch).length;
  }

  /** The next batch; after the last batch of an epoch the cursor moves to batch 0 of the next. */
  next(): SampledBatch {
    const batches = this.batchesOf(this.currentEpoch);
    const batch = batches[this.position];
    const out: SampledBatch = { ...batch, epoch: this.currentEpoch, step: this.position, stepsInEpoch: batches.length };
    this.position += 1;
    if (this.position >= batches.length) {
      this.currentEpoch += 1;
      this.position = 0;
    }
    return out;
  }

  /** The rest of the current epoch, advancing the cursor as it goes. */
  *restOfEpoch(): Generator<SampledBatch> {
    const epoch = this.currentEpoch;
    while (this.currentEpoch === epoch) yield this.next();
  }

  /** Where to resume: the batch `next()` would hand out now. */
  cursor(): BatchCursor {
    return {
      epoch: this.currentEpoch,
      batch: this.position,
      seed: this.options.seed,
      size: this.lengths.length,
      fingerprint: this.fingerprint,
    };
  }

  private restore(cursor: BatchCursor): void {
    const problem =
      cursor.seed !== this.options.seed
        ? `it was made with seed ${cursor.seed}, this run uses ${this.options.seed}`
        : cursor.size !== this.lengths.length || cursor.fingerprint !== this.fingerprint
          ? `it was made on ${cursor.size} sequences with other lengths (fingerprint ${cursor.fingerprint}, now ${this.lengths.length} sequences, ${this.fingerprint})`
          : !Number.isInteger(cursor.epoch) || cursor.epoch < 0 || !Number.isInteger(cursor.batch) || cursor.batch < 0
            ? `epoch ${cursor.epoch} batch ${cursor.batch} is not a position`
            : cursor.batch >= this.batchesOf(cursor.epoch).length
              ? `batch ${cursor.batch} is past the end of epoch ${cursor.epoch} (${this.batchesOf(cursor.epoch).length} batches)`
              : undefined;
    if (problem)
      throw TrainErrors.DATA_CURSOR_INVALID(`cannot resume from the saved batch cursor: ${problem}`, {
        expected: 'the same data, seed and batch options as the interrupted run',
      });
    this.currentEpoch = cursor.epoch;
    this.position = cursor.batch;
  }

  private batchesOf(epoch: number): readonly Batch[] {
    if (this.plan?.epoch !== epoch) {
      const batches = planEpoch(this.lengths, this.options, epoch);
      if (batches.length === 0)
        throw TrainErrors.DATA_OPTIONS(
          `no full batch of ${this.options.batchSize} among ${this.lengths.length} sequences (dropLast is set)`,
          { expected: 'a smaller batch size, or dropLast: false' },
        );
      this.plan = { epoch, batches };
    }
    return this.plan.batches;
  }
}

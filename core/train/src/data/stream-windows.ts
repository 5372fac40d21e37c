import { TrainErrors } from '../errors.js';
import { epochRandom } from './shuffle.js';

/** Options of {@link StreamWindows}. */
export interface StreamWindowOptions {
  /** B: parallel lanes, each a contiguous stretch of the stream whose recurrent state is carried window to window. */
  readonly lanes: number;
  /** T: steps per window (truncated backpropagation through time). */
  readonly window: number;
  /** The run's seed, for `randomOffset`. */
  readonly seed: number;
  /**
   * Skip a random number (0..window-1) of leading ids each epoch, so that window boundaries fall at
   * other places from one epoch to the next. @defaultValue false
   */
  readonly randomOffset?: boolean;
}

/** One window of a language-model stream, time-major. */
export interface StreamWindow {
  /** Inputs [T, B]: `inputs[t * lanes + b]`. */
  readonly inputs: BigInt64Array;
  /** Targets [T, B]: the next id of each input. */
  readonly targets: BigInt64Array;
  /** T of this window (the last window of an epoch may be shorter). */
  readonly time: number;
  readonly lanes: number;
  readonly epoch: number;
  /** 0-based window index in the epoch; at 0 the recurrent state starts from zero. */
  readonly step: number;
  readonly stepsInEpoch: number;
}

/** Where a language-model run stands in its stream; plain JSON for a checkpoint. */
export interface StreamCursor {
  readonly epoch: number;
  readonly window: number;
  readonly seed: number;
  readonly size: number;
}

/**
 * Cuts one token stream (a language model's whole text) into B contiguous lanes and hands out
 * [T, B] windows of inputs and next-id targets in order, so the recurrent state of lane b can be
 * carried from one window to the next (char-rnn's batching). Reproducible and resumable like the
 * BatchSampler: `cursor()` says where to resume.
 */
export class StreamWindows {
  private epochNow = 0;
  private windowNow = 0;

  constructor(
    private readonly ids: ArrayLike<number>,
    private readonly options: StreamWindowOptions,
    resume?: StreamCursor,
  ) {
    const { lanes, window } = options;
    if (!Number.isInteger(lanes) || lanes < 1 || !Number.isInteger(window) || window < 1) {
      throw TrainErrors.DATA_OPTIONS(`lanes and window must be positive integers, got ${lanes} and ${window}`);
    }
    if (ids.length < lanes * (window + (options.randomOffset ? window : 0)) + 1) {
      throw TrainErrors.DATA_EMPTY(
        `a stream of ${ids.length} ids is too short for ${lanes} lanes of at least one ${window}-step window`,
        { expected: 'fewer lanes or a shorter window' },
      );
    }
    if (resume) {
      if (
        resume.seed !== options.seed ||
        resume.size !== ids.length ||
        !Number.isInteger(resume.epoch) ||
        resume.epoch < 0 ||
        !Number.isInteger(resume.window) ||
        resume.window < 0 ||
        resume.window >= this.layout(resume.epoch).windows
      ) {
        throw TrainErrors.DATA_CURSOR_INVALID(
          `cannot resume the stream at epoch ${resume.epoch} window ${resume.window}: the cursor was made for another stream or seed (size ${resume.size}, seed ${resume.seed})`,
        );
      }
      this.epochNow = resume.epoch;
      this.windowNow = resume.window;
    }
  }

  get epoch(): number {
    return this.epochNow;
  }

  /** Number of windows in the current epoch. */
  get stepsInEpoch(): number {
    return this.layout(this.epochNow).windows;
  }

  /** The next window; after the last of an epoch the cursor moves to window 0 of the next epoch. */
  next(): StreamWindow {
    const { offset, laneLength, windows } = this.layout(this.epochNow);
    const { lanes } = this.options;
    const from = this.windowNow * this.options.window;
    const time = Math.min(this.options.window, laneLength - from);
    const inputs = new BigInt64Array(time * lanes);
    const targets = new BigInt64Array(time * lanes);
    for (let b = 0; b < lanes; b++) {
      const base = offset + b * laneLength + from;
      for (let t = 0; t < time; t++) {
        inputs[t * lanes + b] = BigInt(this.ids[base + t]);
        targets[t * lanes + b] = BigInt(this.ids[base + t + 1]);
      }
    }
    const out: StreamWindow = {
      inputs,
      targets,
      time,
      lanes,
      epoch: this.epochNow,
      step: this.windowNow,
      stepsInEpoch: windows,
    };
    this.windowNow += 1;
    if (this.windowNow >= windows) {
      this.epochNow += 1;
      this.windowNow = 0;
    }
    return out;
  }

  cursor(): StreamCursor {
    return { epoch: this.epochNow, window: this.windowNow, seed: this.options.seed, size: this.ids.length };
  }

  /** Lane b of epoch e covers ids [offset + b*laneLength, offset + (b+1)*laneLength], its targets one further. */
  private layout(epoch: number): { offset: number; laneLength: number; windows: number } {
    const { lanes, window } = this.options;
    const offset = this.options.randomOffset ? Math.floor(epochRandom(this.options.seed, epoch, 1)() * window) : 0;
    const laneLength = Math.floor((this.ids.length - offset - 1) / lanes);
    return { offset, laneLength, windows: Math.ceil(laneLength / window) };
  }
}

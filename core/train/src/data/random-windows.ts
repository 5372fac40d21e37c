import { TrainErrors } from '../errors.js';
import { epochRandom } from './shuffle.js';

/** Stream of the epoch's random draws reserved for window starts (StreamWindows' offsets use 1). */
const START_DRAWS = 2;

/** The windows of one epoch drawn at random positions of a stream. */
export interface RandomWindowPlan {
  /** Windows (training steps) in the epoch: as many as cover the stream about once. */
  readonly windows: number;
  /** Start of lane b of window w at `starts[w * lanes + b]`; inputs are ids [start, start + window), targets one further. */
  readonly starts: Int32Array;
}

/**
 * Draws every window of an epoch at a fresh, uniformly random position of the stream, B per step,
 * independently of each other and of the previous epoch (the sampling of nanoGPT and of most
 * PyTorch character models). Unlike StreamWindows' lanes, no lane reads the same stretch of text in
 * the same order every epoch, and no state is carried: each window starts from zero. The same
 * (seed, epoch) gives the same plan, so a resumed run rebuilds it.
 */
export function planRandomWindows(
  size: number,
  lanes: number,
  window: number,
  seed: number,
  epoch: number,
): RandomWindowPlan {
  if (!Number.isInteger(lanes) || lanes < 1 || !Number.isInteger(window) || window < 1) {
    throw TrainErrors.DATA_OPTIONS(`lanes and window must be positive integers, got ${lanes} and ${window}`);
  }
  const positions = size - window; // a window needs `window` inputs and one more id for its last target
  if (positions < 1) {
    throw TrainErrors.DATA_EMPTY(`a stream of ${size} ids is too short for a ${window}-step window`, {
      expected: 'a shorter window or more text',
    });
  }
  const windows = Math.max(1, Math.floor((size - 1) / (lanes * window)));
  const random = epochRandom(seed, epoch, START_DRAWS);
  const starts = new Int32Array(windows * lanes);
  for (let i = 0; i < starts.length; i++) starts[i] = Math.floor(random() * positions);
  return { windows, starts };
}

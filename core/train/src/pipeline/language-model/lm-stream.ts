import type { TensorData, TokenizerPart } from '@recur/runtime';
import { planRandomWindows } from '../../data/random-windows.js';
import { StreamWindows } from '../../data/stream-windows.js';
import type { TrainBatch } from '../objective.js';
import { LM_GRAPH } from './lm-forward-graph.js';
import type { LmStateShape } from './lm-parts.js';

/** Characters per call to the tokenizer when a whole corpus is tokenised (cut after a newline). */
const ENCODE_CHUNK = 1 << 16;

/**
 * Tokenises a whole text as one stream of ids, in pieces cut just after a newline (a tokenizer
 * library handles megabyte strings slowly or not at all; a character or line-internal tokenizer gives
 * the same ids either way).
 */
export function encodeStream(tokenizer: TokenizerPart, text: string): Int32Array {
  const pieces: number[][] = [];
  let total = 0;
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + ENCODE_CHUNK);
    if (end < text.length) {
      const newline = text.lastIndexOf('\n', end - 1);
      if (newline >= start) end = newline + 1;
    }
    const ids = tokenizer.encode(text.slice(start, end));
    pieces.push(ids);
    total += ids.length;
    start = end;
  }
  const out = new Int32Array(total);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The recurrent state of every lane, carried from one window to the next (truncated backpropagation
 * through time). Windows other than the first of an epoch feed these buffers; `carry` overwrites
 * them in place with a step's final states, so the next window's feeds, already handed out, read
 * the new state when they run.
 */
export class CarriedState {
  private readonly buffers: Record<string, Float32Array> = {};

  constructor(
    private readonly shape: LmStateShape,
    private readonly lanes: number,
  ) {
    for (const s of shape.names) this.buffers[s] = new Float32Array(shape.rows * lanes * shape.hidden);
  }

  /** The state feeds of a window: zeros where the lanes restart (window 0 of an epoch), else the carried state. */
  feeds(restart: boolean): Record<string, TensorData> {
    const out: Record<string, TensorData> = {};
    const dims = [this.shape.rows, this.lanes, this.shape.hidden];
    for (const s of this.shape.names) {
      out[LM_GRAPH.stateIn(s)] = {
        dtype: 'float32',
        dims,
        data: restart ? new Float32Array(this.buffers[s].length) : this.buffers[s],
      };
    }
    return out;
  }

  /** Takes the final states of a step (`next_<s>`) as the state of the lanes' next window. */
  carry(outputs: Readonly<Record<string, TensorData>>): void {
    for (const s of this.shape.names) {
      const next = outputs[LM_GRAPH.stateOut(s)];
      if (next) this.buffers[s].set(next.data as Float32Array);
    }
  }

  /** Forgets the carried state (a resumed run starts its lanes from zero). */
  reset(): void {
    for (const s of this.shape.names) this.buffers[s].fill(0);
  }
}

/** A training window of a language-model stream. */
export interface LmTrainBatch extends TrainBatch {
  readonly window: number;
  readonly windowsInEpoch: number;
}

/**
 * The windows of one epoch as training batches: B lanes of the stream, T steps each, the window
 * boundaries moved by a seeded offset each epoch (StreamWindows), the state fed from `state`.
 */
export function epochWindows(
  ids: Int32Array,
  lanes: number,
  window: number,
  seed: number,
  epoch: number,
  state: CarriedState,
): LmTrainBatch[] {
  const windows = new StreamWindows(
    ids,
    { lanes, window, seed, randomOffset: true },
    { epoch, window: 0, seed, size: ids.length },
  );
  const count = windows.stepsInEpoch;
  const out: LmTrainBatch[] = [];
  for (let i = 0; i < count; i++) {
    const w = windows.next();
    out.push({
      feeds: {
        [LM_GRAPH.ids]: { dtype: 'int64', dims: [w.time, w.lanes], data: w.inputs },
        [LM_GRAPH.targets]: { dtype: 'int64', dims: [w.time, w.lanes], data: w.targets },
        [LM_GRAPH.lengths]: { dtype: 'int32', dims: [w.lanes], data: new Int32Array(w.lanes).fill(w.time) },
        ...state.feeds(w.step === 0),
      },
      dims: { T: w.time, B: w.lanes },
      tokens: w.time * w.lanes,
      window: w.step,
      windowsInEpoch: w.stepsInEpoch,
    });
  }
  return out;
}

/**
 * The windows of one epoch drawn at random positions (`train.windowSampling: "random"`): B windows
 * of T steps per batch, each from its own random start, every state starting from zero. Nothing is
 * carried, so `afterStep` has nothing to do.
 */
export function randomEpochWindows(
  ids: Int32Array,
  lanes: number,
  window: number,
  seed: number,
  epoch: number,
  state: CarriedState,
): LmTrainBatch[] {
  const plan = planRandomWindows(ids.length, lanes, window, seed, epoch);
  const zeros = state.feeds(true);
  const out: LmTrainBatch[] = [];
  for (let w = 0; w < plan.windows; w++) {
    const inputs = new BigInt64Array(window * lanes);
    const targets = new BigInt64Array(window * lanes);
    for (let b = 0; b < lanes; b++) {
      const start = plan.starts[w * lanes + b];
      for (let t = 0; t < window; t++) {
        inputs[t * lanes + b] = BigInt(ids[start + t]);
        targets[t * lanes + b] = BigInt(ids[start + t + 1]);
      }
    }
    out.push({
      feeds: {
        [LM_GRAPH.ids]: { dtype: 'int64', dims: [window, lanes], data: inputs },
        [LM_GRAPH.targets]: { dtype: 'int64', dims: [window, lanes], data: targets },
        [LM_GRAPH.lengths]: { dtype: 'int32', dims: [lanes], data: new Int32Array(lanes).fill(window) },
        ...zeros,
      },
      dims: { T: window, B: lanes },
      tokens: window * lanes,
      window: w,
      windowsInEpoch: plan.windows,
    });
  }
  return out;
}

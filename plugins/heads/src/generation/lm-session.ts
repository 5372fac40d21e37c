import type { Session, TensorData } from '@recur/runtime';
import { paddedBatch, stepIds, zeros } from '../decoding/batch-rows.js';
import { LM_UNIT, type StateShape } from './lm-graph.js';

/** The recurrent state of a batch: one tensor [rows, B, hidden] per state name. */
export type BatchState = Readonly<Record<string, TensorData>>;

/** What one run gives: next-token logits [B, vocab] (row-major) and the state after it. */
export interface LmRunResult {
  readonly logits: Float32Array;
  readonly state: BatchState;
}

/**
 * The `lm-step` session with its two uses: prefill (whole prompts, padded, from a zero state) and
 * step (one token per sequence, from the carried state). One `session.run` each.
 */
export class LanguageModelSession {
  constructor(
    readonly session: Session,
    readonly state: StateShape,
    readonly vocabSize: number,
    private readonly pad: number,
  ) {}

  /** Reads whole prompts from a zero state. */
  prefill(prompts: readonly (readonly number[])[]): Promise<LmRunResult> {
    const { ids, lengths } = paddedBatch(prompts, this.pad);
    const initial: Record<string, TensorData> = {};
    for (const s of this.state.names) initial[s] = zeros([this.state.rows, prompts.length, this.state.hidden]);
    return this.run(ids, lengths, initial);
  }

  /** Feeds one token per sequence, continuing `state` (rows in the same order as `tokens`). */
  step(tokens: readonly number[], state: BatchState): Promise<LmRunResult> {
    const lengths: TensorData = { dtype: 'int32', dims: [tokens.length], data: new Int32Array(tokens.length).fill(1) };
    return this.run(stepIds(tokens), lengths, state);
  }

  private async run(ids: TensorData, lengths: TensorData, state: BatchState): Promise<LmRunResult> {
    const feeds: Record<string, TensorData> = { [LM_UNIT.ids]: ids, [LM_UNIT.lengths]: lengths };
    for (const s of this.state.names) feeds[LM_UNIT.stateIn(s)] = state[s]!;
    const out = await this.session.run(feeds);
    const next: Record<string, TensorData> = {};
    for (const s of this.state.names) next[s] = out[LM_UNIT.stateOut(s)]!;
    return { logits: out[LM_UNIT.logits].data as Float32Array, state: next };
  }
}

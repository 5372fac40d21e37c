import { chooseToken, SeenTokens, suppressTokens, type SamplingParams } from '@recur/heads';
import { OrtBackend, type Pipeline, type TensorData } from '@recur/runtime';
import { mulberry32 } from '@recur/runtime/internal';

/** The state layout of a tiny test model. */
export interface TinyState {
  readonly names: readonly string[];
  readonly layers: number;
  readonly hidden: number;
  readonly vocabSize: number;
  /** Ids the task never generates (pad, unk, bos). */
  readonly silent: readonly number[];
}

/**
 * Generates with the pipeline's own `lm-step` unit, one sequence, one token at a time, without any
 * of the task's code except `chooseToken`: the reference the task's batched loop must reproduce.
 */
export async function referenceGeneration(
  backend: OrtBackend,
  pipeline: Pipeline,
  state: TinyState,
  promptIds: readonly number[],
  maxNewTokens: number,
  params: SamplingParams,
  seed: number,
): Promise<number[]> {
  const session = await backend.session(pipeline.units.find((u) => u.name === 'lm-step')!);
  const random = mulberry32(seed);
  const seen = new SeenTokens(state.vocabSize, promptIds);
  let feeds: Record<string, TensorData> = {
    ids: { dtype: 'int64', dims: [promptIds.length, 1], data: BigInt64Array.from(promptIds, BigInt) },
    lengths: { dtype: 'int32', dims: [1], data: Int32Array.of(promptIds.length) },
  };
  for (const s of state.names)
    feeds[`state_${s}`] = {
      dtype: 'float32',
      dims: [state.layers, 1, state.hidden],
      data: new Float32Array(state.layers * state.hidden),
    };
  const out: number[] = [];
  while (out.length < maxNewTokens) {
    const result = await session.run(feeds);
    const logits = Float32Array.from(result['logits'].data as Float32Array);
    suppressTokens(logits, state.silent);
    const token = chooseToken(logits, params, seen, random);
    out.push(token);
    seen.add(token);
    feeds = {
      ids: { dtype: 'int64', dims: [1, 1], data: BigInt64Array.of(BigInt(token)) },
      lengths: { dtype: 'int32', dims: [1], data: Int32Array.of(1) },
    };
    for (const s of state.names) feeds[`state_${s}`] = result[`next_${s}`]!;
  }
  await session.release();
  return out;
}

import { argMax, type EncodedSources } from '@recur/heads';
import type { OrtBackend, Pipeline, Session, TensorData } from '@recur/runtime';

/** The two translation sessions of a pipeline, opened on a test's own backend. */
export async function translationSessions(
  backend: OrtBackend,
  pipeline: Pipeline,
): Promise<{ encoder: Session; step: Session }> {
  const unit = (name: string) => pipeline.units.find((u) => u.name === name)!;
  return { encoder: await backend.session(unit('encoder')), step: await backend.session(unit('decoder-step')) };
}

/** Runs the encoder unit on padded source ids. */
export async function encodeSources(
  encoder: Session,
  sentences: readonly (readonly number[])[],
  stateNames: readonly string[],
  pad = 0,
): Promise<EncodedSources> {
  const B = sentences.length;
  const S = Math.max(...sentences.map((s) => s.length));
  const ids = new BigInt64Array(S * B).fill(BigInt(pad));
  sentences.forEach((s, b) => {
    s.forEach((id, t) => (ids[t * B + b] = BigInt(id)));
  });
  const lengths: TensorData = { dtype: 'int32', dims: [B], data: Int32Array.from(sentences, (s) => s.length) };
  const out = await encoder.run({ src_ids: { dtype: 'int64', dims: [S, B], data: ids }, src_lengths: lengths });
  const state: Record<string, TensorData> = {};
  for (const s of stateNames) state[s] = out[`next_${s}`]!;
  return { memory: out['memory'], keys: out['keys'], lengths, state };
}

/**
 * Feeds `forced` tokens (teacher forcing) or, when `forced` is undefined, the argmax (greedy), to the
 * decoder-step unit of one sentence; returns the tokens and the summed log-probabilities.
 */
export async function decodeOne(
  step: Session,
  source: EncodedSources,
  stateNames: readonly string[],
  settings: { bos: number; eos: number; maxLength: number },
  forced?: readonly number[],
): Promise<{ tokens: number[]; logProb: number; ended: boolean }> {
  let state = source.state;
  let previous = settings.bos;
  const tokens: number[] = [];
  let logProb = 0;
  for (let length = 1; length <= settings.maxLength; length++) {
    const feeds: Record<string, TensorData> = {
      prev_ids: { dtype: 'int64', dims: [1], data: BigInt64Array.of(BigInt(previous)) },
      memory: source.memory,
      keys: source.keys,
      src_lengths: source.lengths,
      top_k: { dtype: 'int64', dims: [1], data: BigInt64Array.of(1n) },
    };
    for (const s of stateNames) feeds[`state_${s}`] = state[s]!;
    const out = await step.run(feeds);
    const lp = out['log_probs'].data as Float32Array;
    const token = forced ? (forced[length - 1] ?? settings.eos) : argMax(lp);
    logProb += lp[token];
    if (token === settings.eos) return { tokens, logProb, ended: true };
    tokens.push(token);
    previous = token;
    const next: Record<string, TensorData> = {};
    for (const s of stateNames) next[s] = out[`next_${s}`]!;
    state = next;
    if (forced && length === forced.length && length === settings.maxLength) break;
  }
  return { tokens, logProb, ended: false };
}

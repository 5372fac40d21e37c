import { assertFiniteScores } from './finite-scores.js';
import { argMax, topKSet } from './top-k.js';

/** How the next token is chosen from one row of logits. */
export interface SamplingParams {
  /** 0 chooses the most likely token (greedy); otherwise logits are divided by it before sampling. */
  readonly temperature: number;
  /** Sample only among the k most likely tokens; 0 keeps every token. */
  readonly topK: number;
  /** Nucleus sampling: keep the smallest set of most likely tokens whose probability reaches p; 1 keeps all. */
  readonly topP: number;
  /** CTRL's repetition penalty (as in transformers): 1 is off, above 1 discourages tokens already seen. */
  readonly repetitionPenalty: number;
}

/**
 * The ids a sequence has already seen (prompt and generated), for the repetition penalty. Each id is
 * counted once, as transformers' `RepetitionPenaltyLogitsProcessor` does.
 */
export class SeenTokens {
  private readonly flags: Uint8Array;
  readonly ids: number[] = [];

  constructor(vocabSize: number, initial: readonly number[] = []) {
    this.flags = new Uint8Array(vocabSize);
    for (const id of initial) this.add(id);
  }

  add(id: number): void {
    if (id < 0 || id >= this.flags.length || this.flags[id]) return;
    this.flags[id] = 1;
    this.ids.push(id);
  }
}

/**
 * CTRL-style repetition penalty, in place: a seen token's logit is divided by `penalty` when
 * positive and multiplied by it when negative (so it always becomes less likely for penalty > 1).
 */
export function applyRepetitionPenalty(logits: Float32Array, seen: SeenTokens, penalty: number): void {
  if (penalty === 1) return;
  for (const id of seen.ids) {
    const v = logits[id];
    logits[id] = v > 0 ? v / penalty : v * penalty;
  }
}

/** Makes tokens impossible, in place (their logit becomes -Infinity). */
export function suppressTokens(logits: Float32Array, ids: readonly number[]): void {
  for (const id of ids) if (id >= 0 && id < logits.length) logits[id] = -Infinity;
}

/**
 * Chooses the next token from `logits` (one row, modified in place by the penalty), in the order
 * transformers applies its processors: repetition penalty, temperature, top-k, top-p, then one draw
 * from `random` (uniform in [0, 1)). Greedy (temperature 0) draws nothing, so a seeded generator
 * stays in step only with the sampled tokens.
 */
export function chooseToken(
  logits: Float32Array,
  params: SamplingParams,
  seen: SeenTokens,
  random: () => number,
): number {
  assertFiniteScores(logits, 'logit');
  applyRepetitionPenalty(logits, seen, params.repetitionPenalty);
  if (params.temperature === 0) return argMax(logits);

  const vocab = logits.length;
  const candidates = params.topK > 0 && params.topK < vocab ? topKSet(logits, params.topK) : finiteIndices(logits);
  if (candidates.length === 0) return argMax(logits);
  // Softmax weights over the candidates of logits / temperature, stabilised by the largest one.
  let max = -Infinity;
  for (let i = 0; i < candidates.length; i++) max = Math.max(max, logits[candidates[i]]);
  const weights: number[] = new Array<number>(candidates.length);
  let total = 0;
  for (let i = 0; i < candidates.length; i++) {
    const w = Math.exp((logits[candidates[i]] - max) / params.temperature);
    weights[i] = w;
    total += w;
  }
  if (params.topP >= 1) return draw(candidates, weights, total, random);

  // Nucleus: the most probable candidates until their share reaches topP (at least one). The
  // weight at which the share is reached comes from a native sort; candidates above it are kept,
  // and candidates exactly at it in index order until the share is reached.
  const target = params.topP * total;
  if (sortScratch.length < weights.length) sortScratch = new Float64Array(weights.length);
  const sorted = sortScratch.subarray(0, weights.length);
  for (let i = 0; i < weights.length; i++) sorted[i] = weights[i]!;
  sorted.sort();
  let cutoff = sorted[sorted.length - 1];
  let share = 0;
  for (let i = sorted.length - 1; i >= 0; i--) {
    share += sorted[i];
    cutoff = sorted[i]!;
    if (share >= target) break;
  }
  const kept: number[] = [];
  const keptWeights: number[] = [];
  let keptTotal = 0;
  const keep = (i: number) => {
    kept.push(candidates[i]);
    keptWeights.push(weights[i]);
    keptTotal += weights[i];
  };
  for (let i = 0; i < candidates.length; i++) if (weights[i] > cutoff) keep(i);
  for (let i = 0; i < candidates.length && (keptTotal < target || kept.length === 0); i++)
    if (weights[i] === cutoff) keep(i);
  return draw(kept, keptWeights, keptTotal, random);
}

let sortScratch = new Float64Array(0);

/** Every index whose logit is not NaN (a suppressed token is -Infinity and gets weight 0). */
function finiteIndices(logits: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < logits.length; i++) if (!Number.isNaN(logits[i])) out.push(i);
  return out;
}

/** One draw from unnormalised weights summing to `total`. */
function draw(ids: readonly number[], weights: readonly number[], total: number, random: () => number): number {
  let r = random() * total;
  for (let i = 0; i < ids.length; i++) {
    r -= weights[i];
    if (r < 0) return ids[i];
  }
  // Rounding left r just above zero: the last candidate with any weight.
  for (let i = ids.length - 1; i >= 0; i--) if (weights[i] > 0) return ids[i];
  return ids[ids.length - 1];
}

import { argMax, topKIndices } from './top-k.js';

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
    const v = logits[id]!;
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
export function chooseToken(logits: Float32Array, params: SamplingParams, seen: SeenTokens, random: () => number): number {
  applyRepetitionPenalty(logits, seen, params.repetitionPenalty);
  if (params.temperature === 0) return argMax(logits);

  const vocab = logits.length;
  const candidates = params.topK > 0 && params.topK < vocab ? topKIndices(logits, params.topK) : allIndices(logits);
  if (candidates.length === 0) return argMax(logits);
  // Softmax over the candidates of logits / temperature, stabilised by the largest candidate.
  let max = -Infinity;
  for (const id of candidates) max = Math.max(max, logits[id]!);
  const probs = new Float64Array(candidates.length);
  let total = 0;
  for (let i = 0; i < candidates.length; i++) {
    const p = Math.exp((logits[candidates[i]!]! - max) / params.temperature);
    probs[i] = p;
    total += p;
  }
  let kept = candidates.length;
  if (params.topP < 1) {
    const order = sortByProbability(candidates, probs);
    let cumulative = 0;
    kept = 0;
    for (const i of order) {
      cumulative += probs[i]! / total;
      kept++;
      if (cumulative >= params.topP) break;
    }
    return draw(order.slice(0, kept).map((i) => candidates[i]!), order.slice(0, kept).map((i) => probs[i]!), random);
  }
  return draw(candidates, Array.from(probs), random);
}

function allIndices(logits: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < logits.length; i++) if (!Number.isNaN(logits[i]!)) out.push(i);
  return out;
}

/** Positions into `candidates`, most probable first (ties: lower token id first). */
function sortByProbability(candidates: readonly number[], probs: Float64Array): number[] {
  return candidates.map((_, i) => i).sort((a, b) => probs[b]! - probs[a]! || candidates[a]! - candidates[b]!);
}

/** One draw from unnormalised weights. */
function draw(ids: readonly number[], weights: readonly number[], random: () => number): number {
  let total = 0;
  for (const w of weights) total += w;
  let r = random() * total;
  for (let i = 0; i < ids.length; i++) {
    r -= weights[i]!;
    if (r < 0) return ids[i]!;
  }
  return ids[ids.length - 1]!; // rounding left r just above zero
}

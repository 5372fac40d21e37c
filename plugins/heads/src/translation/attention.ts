import type { GraphBuilder, Value } from '@recur/runtime';

export const ATTENTIONS = ['bahdanau', 'luong'] as const;
export type AttentionKind = (typeof ATTENTIONS)[number];

/** Masked-out source steps get this score: exp() of it underflows to an exact 0 weight. */
const MASKED_SCORE = -1e9;

/**
 * An attention mechanism as graph functions. Parameters are declared on the builder given to
 * `attentionFor` (scoped, e.g. `decoder.attention`) the first time a function needs them.
 *   keys:  memory [S, B, M] -> [S, B, A]  (state-independent, computed once per sentence)
 *   score: query [B, Q], keys [S, B, A] -> [S, B]
 */
export interface Attention {
  keys(g: GraphBuilder, memory: Value): Value;
  score(g: GraphBuilder, query: Value, keys: Value): Value;
}

/**
 * Bahdanau (additive): score_j = v . tanh(Wk m_j + bk + Wq q). Parameters `Wk` [A, M], `bk` [A],
 * `Wq` [A, Q], `v` [A, 1].
 */
export function bahdanauAttention(
  p: GraphBuilder,
  memoryDim: number,
  queryDim: number,
  attentionDim: number,
): Attention {
  return {
    keys(g, memory) {
      const Wk = p.param('Wk', [attentionDim, memoryDim], { kind: 'xavier' });
      const bk = p.param('bk', [attentionDim], { kind: 'zeros' });
      return g.add(g.matMul(memory, g.transpose(Wk, [1, 0])), bk);
    },
    score(g, query, keys) {
      const Wq = p.param('Wq', [attentionDim, queryDim], { kind: 'xavier' });
      const v = p.param('v', [attentionDim, 1], { kind: 'xavier' });
      const q = g.unsqueeze(g.gemm(query, Wq, undefined, { transB: true }), [0]); // [1, B, A]
      return g.squeeze(g.matMul(g.tanh(g.add(keys, q)), v), [2]);
    },
  };
}

/** Luong "general": score_j = q . (Wa m_j). Parameter `Wa` [Q, M]; keys are Wa m_j. */
export function luongAttention(p: GraphBuilder, memoryDim: number, queryDim: number): Attention {
  return {
    keys(g, memory) {
      const Wa = p.param('Wa', [queryDim, memoryDim], { kind: 'xavier' });
      return g.matMul(memory, g.transpose(Wa, [1, 0]));
    },
    score(g, query, keys) {
      return g.reduceSum(g.mul(keys, g.unsqueeze(query, [0])), [2]);
    },
  };
}

/**
 * Attention weights and context from scores [S, B]: softmax over valid source steps, then the
 * weighted sum of the memory. Returns weights [S, B] and context [B, M].
 */
export function attend(g: GraphBuilder, scores: Value, memory: Value, mask: Value): { weights: Value; context: Value } {
  const weights = g.softmax(g.where(mask, scores, g.scalar(MASKED_SCORE)), 0);
  const context = g.reduceSum(g.mul(memory, g.unsqueeze(weights, [2])), [0]);
  return { weights, context };
}

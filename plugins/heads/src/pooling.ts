import type { EncoderOutputs, GraphBuilder, Value } from '@recur/runtime';

export const POOLINGS = ['last', 'mean', 'max', 'attention'] as const;
export type Pooling = (typeof POOLINGS)[number];

/**
 * Reduces an encoder's sequence [T, B, D] to one vector per sequence [B, D], honouring lengths
 * (padded steps never count). `last` reads the final states: for a bidirectional encoder the
 * forward state at each sequence's last step and the backward state at its first, concatenated.
 */
export function pool(g: GraphBuilder, kind: Pooling, encoded: EncoderOutputs, lengths: Value, dim: number): Value {
  const seq = encoded.sequence;
  switch (kind) {
    case 'last':
      return lastStates(g, encoded, dim);
    case 'mean': {
      const sum = g.reduceSum(seq, [0]);
      const count = g.unsqueeze(g.cast(g.op1('Max', [lengths, g.scalar(1, 'int32')]), 'float32'), [1]);
      return g.div(sum, count);
    }
    case 'max': {
      const masked = g.where(g.unsqueeze(validMask(g, seq, lengths), [2]), seq, g.scalar(-3.4e38));
      return g.reduceMax(masked, [0]);
    }
    case 'attention': {
      const scorer = g.param('attention.v', [dim, 1], { kind: 'xavier' });
      const scores = g.squeeze(g.matMul(seq, scorer), [2]); // [T, B]
      const masked = g.where(validMask(g, seq, lengths), scores, g.scalar(-1e9));
      const weights = g.unsqueeze(g.softmax(masked, 0), [2]); // [T, B, 1]
      return g.reduceSum(g.mul(seq, weights), [0]);
    }
  }
}

/** [T, B] bool: true where step t is inside sequence b. */
export function validMask(g: GraphBuilder, seq: Value, lengths: Value): Value {
  const steps = g.cast(g.shape(seq, 0, 1), 'int32'); // [1]
  const range = g.op1('Range', [g.scalar(0, 'int32'), g.squeeze(steps, [0]), g.scalar(1, 'int32')]); // [T]
  return g.less(g.unsqueeze(range, [1]), g.unsqueeze(lengths, [0]));
}

function lastStates(g: GraphBuilder, encoded: EncoderOutputs, dim: number): Value {
  const h = encoded.final['h'];
  if (!h) throw new Error('encoder exposes no final state "h" for last pooling');
  // h is [layers*dirs, B, H]; the last layer's directions are the last dim/H rows.
  const shape = g.shape(h);
  const rows = g.gather(shape, g.scalar(0, 'int64'), 0);
  const hidden = g.gather(shape, g.scalar(2, 'int64'), 0);
  const dirs = g.div(g.scalar(dim, 'int64'), hidden);
  const top = g.op1('Slice', [h, g.unsqueeze(g.sub(rows, dirs), [0]), g.unsqueeze(rows, [0]), g.ints([0])]);
  const perBatch = g.transpose(top, [1, 0, 2]); // [B, dirs, H]
  return g.reshape(perBatch, [0, dim]);
}

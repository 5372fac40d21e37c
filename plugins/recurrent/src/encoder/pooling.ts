import type { GraphBuilder, Value } from '@recur/runtime';

export const ENCODER_POOLINGS = ['none', 'last', 'mean', 'max'] as const;
export type EncoderPooling = (typeof ENCODER_POOLINGS)[number];

/**
 * One vector per sequence [B, D] from the sequence [T, B, D] (padded steps are zero there):
 *   last: the top layer's final states, directions concatenated (forward at the last valid step,
 *         backward after reading back to the first step), as PyTorch users take `h_n[-dirs:]`;
 *   mean: the mean over valid steps (a zero-length sequence gives zeros);
 *   max:  the maximum over valid steps.
 */
export function poolSequence(
  g: GraphBuilder,
  kind: Exclude<EncoderPooling, 'none'>,
  sequence: Value,
  topFinal: Value,
  mask: Value,
  dim: number,
): Value {
  switch (kind) {
    case 'last':
      // topFinal is [dirs, B, H] -> [B, dirs*H]
      return g.reshape(g.transpose(topFinal, [1, 0, 2]), [0, dim]);
    case 'mean': {
      const count = g.reduceSum(g.cast(mask, 'float32'), [0]); // [B, 1]
      return g.div(g.reduceSum(sequence, [0]), g.op1('Max', [count, g.scalar(1)]));
    }
    case 'max':
      return g.reduceMax(g.where(mask, sequence, g.scalar(-3.4e38)), [0]);
  }
}

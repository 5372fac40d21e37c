import { definePlugin, type CellPart, type Value } from '@recur/runtime';
import { declareOnnxParams, projectInput } from './onnx-layout.js';

/**
 * GRU as PyTorch computes it (ONNX `linear_before_reset=1`), gates in ONNX order z, r, h
 * (PyTorch's r, z, n reordered on import). Parameters W [3H, I], R [3H, H], B [6H]; state `h`.
 *   z, r = sigmoid(x Wzr^T + Wbzr + h Rzr^T + Rbzr)
 *   n    = tanh(x Wh^T + Wbh + r * (h Rh^T + Rbh))
 *   h'   = (1 - z) * n + z * h
 */
export const gruCell = definePlugin<'cell'>({
  kind: 'cell',
  type: 'gru.v1',
  description:
    'Gated recurrent unit (PyTorch nn.GRU semantics: ONNX GRU with linear_before_reset=1, gate order z, r, h).',
  options: { type: 'object', properties: {}, additionalProperties: false },
  create: (): CellPart => ({
    stateNames: ['h'],
    native: { opType: 'GRU', gates: 3, attrs: { linear_before_reset: 1 } },
    declare(g, inputSize, H) {
      const p = declareOnnxParams(g, 3, inputSize, H);
      return {
        // Rbh is multiplied by r inside the step, so only Wb is hoisted with the projection.
        project: (g, x) => projectInput(g, x, p, false),
        step(g, xt, { h }) {
          const recurrent = g.gemm(h, p.R, p.biases()[1], { transB: true });
          const [xzr, xh] = g.split(xt, [2 * H, H], 1) as [Value, Value];
          const [hzr, hh] = g.split(recurrent, [2 * H, H], 1) as [Value, Value];
          const [z, r] = g.split(g.sigmoid(g.add(xzr, hzr)), [H, H], 1) as [Value, Value];
          const n = g.tanh(g.add(xh, g.mul(r, hh)));
          // (1 - z) * n + z * h, with one multiplication.
          return { h: g.add(n, g.mul(z, g.sub(h, n))) };
        },
      };
    },
  }),
});

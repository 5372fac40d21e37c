import { definePlugin, type CellPart } from '@recur/runtime';
import { declareOnnxParams, projectInput } from './onnx-layout.js';

/**
 * LSTM, gates in ONNX order i, o, f, c (PyTorch's i, f, g, o reordered on import).
 * Parameters W [4H, I], R [4H, H], B [8H]; state `h`, `c`.
 *   i, o, f = sigmoid(.), c~ = tanh(.)    over x W^T + h R^T + Wb + Rb
 *   c' = f * c + i * c~,   h' = o * tanh(c')
 */
export const lstmCell = definePlugin<'cell'>({
  kind: 'cell',
  type: 'lstm.v1',
  description: 'Long short-term memory cell (PyTorch nn.LSTM semantics, ONNX gate order i, o, f, c).',
  options: { type: 'object', properties: {}, additionalProperties: false },
  create: (): CellPart => ({
    stateNames: ['h', 'c'],
    native: { opType: 'LSTM', gates: 4, attrs: {} },
    declare(g, inputSize, H) {
      const p = declareOnnxParams(g, 4, inputSize, H);
      return {
        // Both biases are added before the nonlinearity, so they join the hoisted projection.
        project: (g, x) => projectInput(g, x, p, true),
        step(g, xt, { h, c }) {
          const gates = g.gemm(h, p.R, xt, { transB: true });
          const [sigmoidPart, candidate] = g.split(gates, [3 * H, H], 1) as [typeof gates, typeof gates];
          const [i, o, f] = g.split(g.sigmoid(sigmoidPart), [H, H, H], 1) as [typeof gates, typeof gates, typeof gates];
          const cNext = g.add(g.mul(f, c), g.mul(i, g.tanh(candidate)));
          return { h: g.mul(o, g.tanh(cNext)), c: cNext };
        },
      };
    },
  }),
});

// A Minimal Gated Unit (Zhou, Wu, Zhang, Zhou 2016: "Minimal Gated Unit for Recurrent Neural
// Networks"): one forget gate does the work of the GRU's update and reset gates.
//
//   f  = sigmoid(x Wf^T + h Uf^T + bf)
//   h~ = tanh(x Wh^T + (f * h) Uh^T + bh)
//   h' = (1 - f) * h + f * h~
//
// The whole plugin: parameters and one time step written with graph-builder ops. Recur runs the
// step inside an ONNX Scan (lengths, layers, both directions) and training differentiates it.
import { definePlugin } from '@recur/runtime';

/** @typedef {import('@recur/runtime').CellPart} CellPart */

export const mguCell = definePlugin({
  kind: 'cell',
  type: 'mgu.v1',
  description: 'Minimal gated unit: a single forget gate (Zhou et al., 2016).',
  runtime: '^0.1',
  options: { type: 'object', properties: {}, additionalProperties: false },
  /** @returns {CellPart} */
  create: () => ({
    stateNames: ['h'],
    declare(g, inputSize, H) {
      const init = { kind: 'uniform', bound: 1 / Math.sqrt(H) };
      // Both gates' input weights in one matrix, so the projection is one matmul for all steps.
      const W = g.param('W', [2 * H, inputSize], init); // [Wf; Wh]
      const b = g.param('b', [2 * H], init); // [bf; bh]
      const Uf = g.param('Uf', [H, H], init);
      const Uh = g.param('Uh', [H, H], init);
      return {
        // State-independent work, hoisted out of the time loop: x [T, B, I] -> [T, B, 2H].
        project: (g, x) => g.add(g.matMul(x, g.transpose(W, [1, 0])), b),
        // One step: xt [B, 2H] (projected), state.h [B, H] -> the new state.
        step(g, xt, { h }) {
          const [xf, xh] = g.split(xt, [H, H], 1);
          const f = g.sigmoid(g.gemm(h, Uf, xf, { transB: true }));
          const candidate = g.tanh(g.gemm(g.mul(f, h), Uh, xh, { transB: true }));
          return { h: g.add(h, g.mul(f, g.sub(candidate, h))) };
        },
      };
    },
  }),
});

export default mguCell;

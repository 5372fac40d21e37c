import { definePlugin, type CellPart } from '@recur/runtime';
import { declareOnnxParams, projectInput } from './onnx-layout.js';

export type RnnCellOptions = {
  readonly activation?: 'tanh' | 'relu';
};

/**
 * Elman RNN (PyTorch nn.RNN, `nonlinearity` tanh or relu). Parameters W [H, I], R [H, H], B [2H];
 * state `h`.   h' = act(x W^T + Wb + h R^T + Rb)
 */
export const rnnCell = definePlugin<'cell', RnnCellOptions>({
  kind: 'cell',
  type: 'rnn.v1',
  description: 'Elman recurrent cell with a tanh or ReLU activation (PyTorch nn.RNN semantics).',
  options: {
    type: 'object',
    properties: {
      activation: {
        enum: ['tanh', 'relu'],
        default: 'tanh',
        description: 'The nonlinearity applied to each new state.',
      },
    },
    additionalProperties: false,
  },
  create: (options): CellPart => {
    const relu = options.activation === 'relu';
    return {
      stateNames: ['h'],
      // ONNX Runtime's RNN kernel applies the activation one element at a time: over sequences
      // a Scan over this step (vectorised Tanh/Relu) runs ~2x faster, so `auto` uses it there.
      native: { opType: 'RNN', gates: 1, attrs: { activations: [relu ? 'Relu' : 'Tanh'] }, overSequences: 'scan' },
      declare(g, inputSize, H) {
        const p = declareOnnxParams(g, 1, inputSize, H);
        return {
          project: (g, x) => projectInput(g, x, p, true),
          step(g, xt, { h }) {
            const pre = g.gemm(h, p.R, xt, { transB: true });
            return { h: relu ? g.relu(pre) : g.tanh(pre) };
          },
        };
      },
    };
  },
});

import type { GraphBuilder, Value } from '@recur/runtime';

/**
 * The parameters of a cell in ONNX's layout, for one layer and direction (the builder is already
 * scoped, e.g. to `encoder.layers.0.forward`):
 *
 *   W [gates*hidden, input]   input weights, gates stacked in ONNX order
 *   R [gates*hidden, hidden]  recurrent weights
 *   B [2*gates*hidden]        biases [Wb, Rb] concatenated
 *
 * This is the layout the native operators take (with a leading direction axis the encoder adds),
 * so one weights file serves the native and the `Scan` path. Initialised like PyTorch:
 * uniform(-1/sqrt(hidden), 1/sqrt(hidden)).
 */
export interface OnnxCellParams {
  readonly W: Value;
  readonly R: Value;
  readonly B: Value;
  /**
   * [Wb, Rb], each [gates*hidden]: slices of B, made on first use (the native path never needs
   * them, and a graph should not carry nodes nobody reads).
   */
  biases(): readonly [Value, Value];
  /**
   * W^T [input, gates*hidden] and the projection's bias (Wb, or Wb + Rb), made once in the
   * parameters' own graph: there ONNX Runtime folds them into constants at load, which it does not
   * do for outer values used inside an `If` branch.
   */
  projection(withRecurrentBias: boolean): { readonly weightT: Value; readonly bias: Value };
}

export function declareOnnxParams(g: GraphBuilder, gates: number, inputSize: number, hidden: number): OnnxCellParams {
  const init = { kind: 'uniform', bound: 1 / Math.sqrt(hidden) } as const;
  const W = g.param('W', [gates * hidden, inputSize], init);
  const R = g.param('R', [gates * hidden, hidden], init);
  const B = g.param('B', [2 * gates * hidden], init);
  let split: [Value, Value] | undefined;
  const biases = () => (split ??= g.split(B, [gates * hidden, gates * hidden], 0) as [Value, Value]);
  let weightT: Value | undefined;
  const sums = new Map<boolean, Value>();
  const projection = (withRecurrentBias: boolean) => {
    weightT ??= g.transpose(W, [1, 0]);
    let bias = sums.get(withRecurrentBias);
    if (!bias) {
      const [Wb, Rb] = biases();
      bias = withRecurrentBias ? g.add(Wb, Rb) : Wb;
      sums.set(withRecurrentBias, bias);
    }
    return { weightT, bias };
  };
  return { W, R, B, biases, projection };
}

/**
 * x [T, B, input] (or [B, input]) -> x W^T + bias (Wb, plus Rb when `withRecurrentBias`): the part
 * of every gate that does not need the state.
 */
export function projectInput(g: GraphBuilder, x: Value, p: OnnxCellParams, withRecurrentBias: boolean): Value {
  const { weightT, bias } = p.projection(withRecurrentBias);
  return g.add(g.matMul(x, weightT), bias);
}

import type { GraphBuilder, Value } from '@recur/runtime';
import type { LayerInput, LayerOutput } from './layer.js';

/**
 * One layer on ONNX's own `LSTM`/`GRU`/`RNN` operator, both directions in one node. With
 * `sequence_lens`, ONNX Runtime writes zeros on padded steps, returns each sequence's state at its
 * own last step and starts the backward direction there: PyTorch's packed-sequence semantics.
 */
export function buildNativeLayer(g: GraphBuilder, layer: LayerInput): LayerOutput {
  const native = layer.native!;
  const { hidden, inputSize, directions } = layer;
  const dirs = directions.length;
  const stackDirs = (name: string, dims: readonly number[]): Value => {
    const perDirection = directions.map((d) => g.unsqueeze(d.scope.param(name, dims), [0]));
    return dirs === 1 ? perDirection[0] : g.concat(perDirection, 0);
  };
  const gh = native.gates * hidden;
  const W = stackDirs('W', [gh, inputSize]);
  const R = stackDirs('R', [gh, hidden]);
  const B = stackDirs('B', [2 * gh]);

  const attrs: Record<string, number | string | readonly string[]> = {
    ...native.attrs,
    hidden_size: hidden,
    direction: dirs === 2 ? 'bidirectional' : 'forward',
  };
  const activations = native.attrs['activations'];
  if (Array.isArray(activations))
    attrs['activations'] = Array.from({ length: dirs }, () => activations as string[]).flat();

  const [h0, c0] = layer.stateNames.map((s) => layer.initial?.[s] ?? null);
  const inputs = [layer.x, W, R, B, layer.lengths, h0 ?? null, ...(native.opType === 'LSTM' ? [c0 ?? null] : [])];
  const outputs = g.op(native.opType, inputs, attrs, native.opType === 'LSTM' ? 3 : 2);
  const [Y, Yh, Yc] = outputs as [Value, Value, Value | undefined];

  // Y is [T, dirs, B, H]; the encoder's sequence is [T, B, dirs*H].
  const sequence = dirs === 1 ? g.squeeze(Y, [1]) : g.reshape(g.transpose(Y, [0, 2, 1, 3]), [0, 0, dirs * hidden]);
  const final: Record<string, Value> = { [layer.stateNames[0]]: Yh };
  if (Yc && layer.stateNames[1]) final[layer.stateNames[1]] = Yc;
  return { sequence, final };
}

import type { ExternalTensor, OnnxNode } from './onnx-proto.js';
import type { TensorData } from './tensor-data.js';
import { castNode, gatherOnlyUses } from './widen-float16.js';

/** An int8 parameter as the weights callback of GraphBuilder.toBytes hands it over: values and per-row scales. */
export interface Int8Initializer {
  /** int8, the parameter's shape. */
  readonly values: TensorData | ExternalTensor;
  /** float32, the parameter's shape with the last dimension 1 (the layout of int8-weights.ts). */
  readonly scale: TensorData | ExternalTensor;
}

/**
 * Rewires a graph so that the int8 initializer `values` and its per-row float32 `scale` stand in for the
 * float32 parameter `name`.
 *
 * Where every use of the parameter is the table input of a root-level `Gather` (an embedding lookup), the
 * lookups gather int8 rows and their scales and dequantise only those rows: the table stays int8 (a
 * quarter of float32) in ONNX Runtime. Anywhere else, `Cast` and `Mul` at the top of the graph dequantise
 * the whole tensor; ONNX Runtime folds them into a float32 constant when the session is created, so the
 * MatMuls and recurrent operators then run exactly as with float32 weights (int8 saves file size, not
 * compute; integer kernels such as DynamicQuantizeLSTM would have to be measured first). Not
 * `DequantizeLinear`: ONNX Runtime 1.30 keeps that node unfolded (for its QDQ fusions), so a weight
 * consumed by an LSTM would be dequantised again at every run. The price of Cast + Mul is a transient
 * second float32 copy of each weight while the session is created.
 */
export function dequantizeInt8(nodes: readonly OnnxNode[], name: string, values: string, scale: string): OnnxNode[] {
  const lookups = gatherOnlyUses(nodes, name);
  if (lookups === undefined) {
    const wide = `${name}::int8_widened`;
    return [castNode(values, wide, `${name}::widen`), mulNode(wide, scale, name, `${name}::dequantize`), ...nodes];
  }
  const out: OnnxNode[] = [];
  for (const n of nodes) {
    if (!lookups.has(n)) {
      out.push(n);
      continue;
    }
    const rows = n.output[0];
    const indices = n.input.slice(1);
    out.push({ ...n, input: [values, ...indices], output: [`${rows}::int8`, ...n.output.slice(1)] });
    out.push({ ...n, name: `${n.name ?? rows}::scale`, input: [scale, ...indices], output: [`${rows}::scale`] });
    out.push(castNode(`${rows}::int8`, `${rows}::int8_widened`, `${rows}::widen`));
    out.push(mulNode(`${rows}::int8_widened`, `${rows}::scale`, rows, `${rows}::dequantize`));
  }
  return out;
}

function mulNode(a: string, b: string, output: string, name: string): OnnxNode {
  return { input: [a, b], output: [output], name, opType: 'Mul', domain: '' };
}

import type { OnnxAttribute, OnnxModel, OnnxNode } from '../graph/onnx-proto.js';

const RECURRENT_OPS = new Set(['RNN', 'GRU', 'LSTM']);

/**
 * Rewrites every `RNN`/`GRU`/`LSTM` node with `layout=1` (batch-major, which ONNX Runtime's CPU
 * kernels refuse) into the same operator with `layout=0` between transposes:
 *   X [B, T, I] -> [T, B, I];  initial_h/c [B, dirs, H] -> [dirs, B, H]
 *   Y [T, dirs, B, H] -> [B, T, dirs, H];  Y_h/Y_c [dirs, B, H] -> [B, dirs, H]
 * Returns the model unchanged when no node uses `layout=1`. Subgraphs are not visited.
 */
export function lowerBatchwiseRecurrent(model: OnnxModel): OnnxModel {
  const nodes = model.graph.node;
  if (!nodes.some(isBatchwise)) return model;
  const out: OnnxNode[] = [];
  let counter = 0;
  let transposes = 0;
  const transpose = (input: string, perm: number[], output: string): OnnxNode => ({
    input: [input],
    output: [output],
    name: `recur_layout_transpose${++transposes}`,
    opType: 'Transpose',
    domain: '',
    attribute: [{ name: 'perm', type: 7, ints: perm }],
  });
  for (const decoded of nodes) {
    const node = { ...decoded, attribute: (decoded.attribute ?? []).map(onlyTypedField) };
    if (!isBatchwise(node)) {
      out.push(node);
      continue;
    }
    counter += 1;
    const tag = `recur_layout${counter}`;
    const inputs = [...node.input];
    // X (0), initial_h (5), initial_c (6)
    for (const [index, perm] of [
      [0, [1, 0, 2]],
      [5, [1, 0, 2]],
      [6, [1, 0, 2]],
    ] as const) {
      const name = inputs[index];
      if (!name) continue;
      const moved = `${tag}/in${index}`;
      out.push(transpose(name, [...perm], moved));
      inputs[index] = moved;
    }
    const outputs = [...node.output];
    const after: OnnxNode[] = [];
    // Y (0), Y_h (1), Y_c (2)
    for (const [index, perm] of [
      [0, [2, 0, 1, 3]],
      [1, [1, 0, 2]],
      [2, [1, 0, 2]],
    ] as const) {
      const name = outputs[index];
      if (!name) continue;
      const inner = `${tag}/out${index}`;
      after.push(transpose(inner, [...perm], name));
      outputs[index] = inner;
    }
    const attribute = (node.attribute ?? []).filter((a) => a.name !== 'layout');
    out.push({ ...node, input: inputs, output: outputs, attribute }, ...after);
  }
  return { ...model, graph: { ...model.graph, node: out } };
}

function isBatchwise(node: OnnxNode): boolean {
  return (
    RECURRENT_OPS.has(node.opType) &&
    (node.domain ?? '') === '' &&
    (node.attribute ?? []).some((a: OnnxAttribute) => a.name === 'layout' && Number(a.i) === 1)
  );
}

/** The field of each attribute type (AttributeProto.AttributeType), for re-encoding decoded attributes. */
const FIELD_OF_TYPE: Readonly<Record<number, keyof OnnxAttribute>> = {
  1: 'f',
  2: 'i',
  3: 's',
  4: 't',
  5: 'g',
  6: 'floats',
  7: 'ints',
  8: 'strings',
};

/**
 * A decoded attribute carries every field at its default (`f: 0`, `s: []`, ...); encoded again, ONNX
 * Runtime refuses it ("type field and data field mismatch"). Keep the one field its type names.
 */
function onlyTypedField(a: OnnxAttribute): OnnxAttribute {
  const field = FIELD_OF_TYPE[a.type];
  return field ? { name: a.name, type: a.type, [field]: a[field] } : a;
}

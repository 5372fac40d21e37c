import { float, floats, type AttrValue, type Dim, type DType, type GraphBuilder, type Value } from '@recur/runtime';
import { onnxToDtype, protoToTensor, type OnnxGraph, type OnnxModel } from '@recur/runtime/internal';
import { E } from '../errors.js';

/** Oldest opset whose operators keep their meaning up to opset 17 (13 moved `axes` of Squeeze, Unsqueeze, Split, ReduceSum to inputs). */
export const MIN_INLINE_OPSET = 13;
/** Operators whose defaults changed between 13 and 17 (RoiAlign 16: coordinate_transformation_mode). */
const CHANGED_SINCE: Readonly<Record<string, number>> = { RoiAlign: 16 };

type OnnxNodeProto = OnnxGraph['node'][number];
type OnnxAttributeProto = NonNullable<OnnxNodeProto['attribute']>[number];
type OnnxValueInfoProto = OnnxGraph['input'][number];

/**
 * Copies an ONNX model's graph into `g`, renaming every value, so that a user's model becomes part
 * of a Recur unit (one session, optimised across the boundary). `feeds` gives the values the model
 * inputs read; inputs with an initializer may be left out. Returns the model's outputs by name.
 *
 * Linking needs the model's default-domain opset to lie in [13, g.opset]: operators kept their
 * meaning across that range, so the nodes run unchanged under the unit's opset.
 */
export function inlineModel(
  g: GraphBuilder,
  model: OnnxModel,
  feeds: Readonly<Record<string, Value>>,
  where: string,
): Record<string, Value> {
  const opset = assertLinkableOpset(model, g.opset, where);
  const scope = new Map<string, Value>();
  const initializerNames = new Set(model.graph.initializer.map((t) => t.name ?? ''));
  for (const input of model.graph.input) {
    const fed = feeds[input.name];
    if (fed) scope.set(input.name, fed);
    else if (!initializerNames.has(input.name)) {
      throw E.BYOM_IO(`${where}: model input "${input.name}" is not mapped to anything`, {
        file: where,
        expected: 'map it in the encoder\'s "inputs"',
      });
    }
  }
  copyGraph(g, model.graph, scope, [], opset, where);
  const outputs: Record<string, Value> = {};
  for (const o of model.graph.output) outputs[o.name] = lookup(o.name, scope, [], where);
  return outputs;
}

/** The model's default-domain opset; throws RECUR_E_RECURRENT_BYOM_UNSUPPORTED unless it lies in [13, unitOpset]. */
export function assertLinkableOpset(model: OnnxModel, unitOpset: number, where: string): number {
  const imports = model.opsetImport ?? [];
  const main = imports.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  const version = main?.version ?? 0;
  if (version < MIN_INLINE_OPSET || version > unitOpset) {
    throw E.BYOM_UNSUPPORTED(
      `${where} uses opset ${version}; an onnx-file encoder links models of opset ${MIN_INLINE_OPSET} to ${unitOpset} into its unit`,
      {
        file: where,
        expected: `re-export with opset_version between ${MIN_INLINE_OPSET} and ${unitOpset}`,
      },
    );
  }
  return version;
}

/** Adds `graph`'s nodes to `b`; `scope` maps the graph's names to values, `outer` holds the enclosing graphs' scopes. */
function copyGraph(
  b: GraphBuilder,
  graph: OnnxGraph,
  scope: Map<string, Value>,
  outer: readonly Map<string, Value>[],
  opset: number,
  where: string,
): void {
  for (const init of graph.initializer)
    scope.set(init.name ?? '', b.constant(protoToTensor(init, `${where}: ${init.name}`), 'byom_init'));
  const chain = [scope, ...outer];
  for (const node of graph.node) {
    const domain = node.domain ?? '';
    if (domain !== '' && domain !== 'ai.onnx') {
      throw E.BYOM_UNSUPPORTED(
        `${where}: node ${node.name || node.opType} is in operator domain "${domain}"; only the standard ONNX domain can be linked`,
        { file: where },
      );
    }
    if ((CHANGED_SINCE[node.opType] ?? 0) > opset) {
      throw E.BYOM_UNSUPPORTED(`${where}: ${node.opType} changed meaning after opset ${opset}`, {
        file: where,
        expected: `re-export with opset ${CHANGED_SINCE[node.opType]} or newer`,
      });
    }
    const inputs = node.input.map((name) => (name === '' ? null : lookup(name, scope, outer, where)));
    const attrs: Record<string, AttrValue> = {};
    for (const a of node.attribute ?? []) attrs[a.name] = convertAttribute(b, a, chain, opset, where);
    const outputs = b.op(node.opType, inputs, attrs, node.output.length);
    node.output.forEach((name, i) => {
      if (name !== '') scope.set(name, outputs[i]);
    });
  }
}

function lookup(name: string, scope: Map<string, Value>, outer: readonly Map<string, Value>[], where: string): Value {
  for (const s of [scope, ...outer]) {
    const v = s.get(name);
    if (v) return v;
  }
  throw E.BYOM_UNSUPPORTED(`${where}: value "${name}" is used before it is defined`, { file: where });
}

function convertAttribute(
  b: GraphBuilder,
  a: OnnxAttributeProto,
  chain: readonly Map<string, Value>[],
  opset: number,
  where: string,
): AttrValue {
  const text = new TextDecoder();
  switch (a.type) {
    case 1:
      return float(a.f ?? 0);
    case 2:
      return a.i ?? 0;
    case 3:
      return text.decode(a.s ?? new Uint8Array());
    case 4:
      return protoToTensor(a.t!, `${where}: attribute ${a.name}`);
    case 5:
      return copySubgraph(b, a.g!, chain, opset, where);
    case 6:
      return floats((a.floats ?? []).map(Number));
    case 7:
      return (a.ints ?? []).map(Number);
    case 8:
      return (a.strings ?? []).map((s) => text.decode(s));
    default:
      throw E.BYOM_UNSUPPORTED(
        `${where}: attribute "${a.name}" has ONNX attribute type ${a.type}, which cannot be linked`,
        { file: where },
      );
  }
}

/** A `Scan`/`Loop`/`If` body: its own builder, inputs renamed, outer values visible through `chain`. */
function copySubgraph(
  b: GraphBuilder,
  graph: OnnxGraph,
  chain: readonly Map<string, Value>[],
  opset: number,
  where: string,
): GraphBuilder {
  const sub = b.subgraph('byom_body');
  const scope = new Map<string, Value>();
  for (const input of graph.input) {
    const { dtype, dims } = typeOf(input, where);
    scope.set(input.name, sub.input(sub.fresh('body_in'), dtype, dims as Dim[]));
  }
  copyGraph(sub, graph, scope, chain, opset, where);
  for (const output of graph.output) {
    const { dtype, dims } = typeOf(output, where);
    sub.output(lookup(output.name, scope, chain, where), sub.fresh('body_out'), dtype, dims);
  }
  return sub;
}

function typeOf(info: OnnxValueInfoProto, where: string): { dtype: DType; dims: readonly Dim[] | undefined } {
  const tensorType = info.type?.tensorType;
  const dtype = tensorType ? onnxToDtype(tensorType.elemType) : undefined;
  if (!dtype)
    throw E.BYOM_UNSUPPORTED(`${where}: subgraph value "${info.name}" is not a tensor of a supported type`, {
      file: where,
    });
  const dims = tensorType?.shape?.dim.map((d, i): Dim =>
    d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue > 0 ? d.dimValue : `d${i}`,
  );
  return { dtype, dims };
}

import type { OnnxGraph, OnnxNode } from './onnx-proto.js';

const FLOAT32 = 1;

/**
 * Rewires a graph so that the float16 initializer `half` stands in for the float32 parameter `name`.
 *
 * Where every use of the parameter is the table input of a root-level `Gather` (an embedding lookup),
 * the lookups read the float16 table and only the gathered rows are widened: ONNX Runtime then keeps
 * the table at half size. Anywhere else, one `Cast` widens the whole tensor at the top of the graph;
 * ONNX Runtime folds that into a float32 copy when the session is created, which is what a MatMul or
 * a recurrent op needs anyway. A lookup table is by far the largest tensor of a word-level model
 * (the shipped sentiment model's is 80% of its weights), so this halves its resident size.
 */
export function widenFloat16(nodes: readonly OnnxNode[], name: string, half: string): OnnxNode[] {
  const lookups = gatherOnlyUses(nodes, name);
  if (lookups === undefined) return [castNode(half, name, `${name}::widen`), ...nodes];
  const out: OnnxNode[] = [];
  for (const n of nodes) {
    if (!lookups.has(n)) {
      out.push(n);
      continue;
    }
    const rows = n.output[0];
    const halfRows = `${rows}::float16`;
    out.push({ ...n, input: [half, ...n.input.slice(1)], output: [halfRows, ...n.output.slice(1)] });
    out.push(castNode(halfRows, rows, `${rows}::widen`));
  }
  return out;
}

/** The root-level Gathers reading `name` as their table, or undefined when anything else reads it. */
export function gatherOnlyUses(nodes: readonly OnnxNode[], name: string): Set<OnnxNode> | undefined {
  const lookups = new Set<OnnxNode>();
  for (const n of nodes) {
    for (let i = 0; i < n.input.length; i++) {
      if (n.input[i] !== name) continue;
      if (n.opType !== 'Gather' || (n.domain ?? '') !== '' || i !== 0) return undefined;
      lookups.add(n);
    }
    for (const a of n.attribute ?? []) {
      if (a.g && graphReads(a.g, name)) return undefined;
    }
  }
  return lookups.size > 0 ? lookups : undefined;
}

/** Whether a subgraph (or one nested in it) reads `name` from its enclosing scope. */
function graphReads(g: OnnxGraph, name: string): boolean {
  return g.node.some(
    (n) => n.input.includes(name) || (n.attribute ?? []).some((a) => a.g !== undefined && graphReads(a.g, name)),
  );
}

export function castNode(input: string, output: string, name: string): OnnxNode {
  return {
    input: [input],
    output: [output],
    name,
    opType: 'Cast',
    domain: '',
    attribute: [{ name: 'to', type: 2, i: FLOAT32 }],
  };
}

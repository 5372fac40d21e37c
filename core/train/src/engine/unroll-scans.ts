import { GraphBuilder, type NodeRecord } from '@recur/runtime';
import { TrainErrors } from '../errors.js';

/**
 * Replaces every top-level Scan of `g` by `steps` copies of its body (the unrolled form of SPIKE.md),
 * for graphs whose sequence length is fixed. Scan inputs are split into steps, scan outputs concatenated
 * back, directions honoured. The autodiff then differentiates plain ops; a weight's per-step gradients
 * are summed as one matmul over all steps (deferred matmuls).
 */
export function unrollScans(g: GraphBuilder, steps: number): void {
  if (!Number.isInteger(steps) || steps < 1)
    throw TrainErrors.GRAPH_UNSUPPORTED(`cannot unroll a Scan over ${steps} steps`);
  const out: NodeRecord[] = [];
  let count = 0;
  const fresh = (hint: string) => g.fresh(hint);
  for (const node of g.nodes) {
    if (node.opType !== 'Scan') {
      out.push(node);
      continue;
    }
    count += 1;
    const body = node.attrs['body'] as GraphBuilder;
    const m = node.attrs['num_scan_inputs'] as number;
    const n = node.inputs.length - m;
    const k = node.outputs.length - n;
    const inDirs = (node.attrs['scan_input_directions'] as number[] | undefined) ?? [];
    const outDirs = (node.attrs['scan_output_directions'] as number[] | undefined) ?? [];
    for (const attr of ['scan_input_axes', 'scan_output_axes']) {
      if ((node.attrs[attr] as number[] | undefined)?.some((x) => x !== 0))
        throw TrainErrors.GRAPH_UNSUPPORTED(`Scan node ${node.name}: ${attr} other than 0 cannot be unrolled`, {
          pointer: node.name,
        });
    }
    for (const [name, t] of body.constants) g.constants.set(name, t);
    const emit = (opType: string, inputs: string[], attrs: NodeRecord['attrs'], outputs: string[]): void => {
      out.push({ opType, inputs, outputs, attrs, domain: '', name: outputs[0] });
    };
    const ones = fresh('unroll_ones');
    g.constants.set(ones, { dtype: 'int64', dims: [steps], data: new BigInt64Array(steps).fill(1n) });
    const axis0 = fresh('unroll_axis0');
    g.constants.set(axis0, { dtype: 'int64', dims: [1], data: BigInt64Array.of(0n) });

    // Each scan input split into its steps, [1, ...] -> [...].
    const perStep: string[][] = [];
    for (let i = 0; i < m; i++) {
      const pieces = Array.from({ length: steps }, () => fresh('unroll_piece'));
      emit('Split', [node.inputs[n + i], ones], { axis: 0 }, pieces);
      const squeezed = pieces.map((p) => {
        const s = fresh('unroll_step');
        emit('Squeeze', [p, axis0], {}, [s]);
        return s;
      });
      perStep.push(inDirs[i] === 1 ? squeezed.reverse() : squeezed);
    }

    let state = node.inputs.slice(0, n);
    const collected: string[][] = Array.from({ length: k }, () => []);
    for (let t = 0; t < steps; t++) {
      const rename = new Map<string, string>();
      body.inputs.forEach((v, i) => rename.set(v.name, i < n ? state[i] : perStep[i - n][t]));
      const local = (name: string): string => {
        if (!name) return name;
        const known = rename.get(name);
        if (known) return known;
        return name; // an outer value or a body constant (now a graph constant)
      };
      for (const bn of body.nodes) {
        const outputs = bn.outputs.map((o) => {
          const r = `${o}@scan${count}.t${t}`;
          rename.set(o, r);
          return r;
        });
        out.push({ ...bn, inputs: bn.inputs.map(local), outputs, name: `${bn.name}@scan${count}.t${t}` });
      }
      const results = body.outputs.map((o) => local(o.name));
      state = results.slice(0, n);
      for (let j = 0; j < k; j++) collected[j].push(results[n + j]);
    }

    // Final states under the Scan's own output names; scan outputs stacked along a new axis 0.
    for (let i = 0; i < n; i++) emit('Identity', [state[i]], {}, [node.outputs[i]]);
    for (let j = 0; j < k; j++) {
      const order = outDirs[j] === 1 ? [...collected[j]].reverse() : collected[j];
      const expanded = order.map((v) => {
        const u = fresh('unroll_unsq');
        emit('Unsqueeze', [v, axis0], {}, [u]);
        return u;
      });
      emit('Concat', expanded, { axis: 0 }, [node.outputs[n + j]]);
    }
  }
  if (count > 0) g.nodes.splice(0, g.nodes.length, ...out);
}

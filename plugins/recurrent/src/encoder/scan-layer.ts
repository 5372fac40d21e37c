import type { CellState, GraphBuilder, Value } from '@recur/runtime';
import { zeroState, type LayerInput, type LayerOutput } from './layer.js';

/**
 * One layer as an ONNX `Scan` whose body is built from the cell's `step`, both directions in one
 * Scan (the backward direction reads its inputs and writes its outputs with direction 1).
 *
 * Lengths are honoured by masking inside the body: on a padded step every state keeps its value
 * and the output is zero. The backward direction therefore begins at each sequence's own last
 * step (the padded steps it meets first leave the initial state untouched), and the forward final
 * state is the one at the last valid step: PyTorch's packed-sequence semantics, without
 * reversing sequences.
 *
 * The state-independent work (`project`, typically x W^T + b for all steps) runs once outside.
 */
export function buildScanLayer(g: GraphBuilder, layer: LayerInput): LayerOutput {
  const { hidden, stateNames, directions } = layer;
  const dirs = directions.length;
  const body = g.subgraph(`layer${layer.index}_scan`);

  const initialStates: Value[] = [];
  const bodyStates: CellState[] = [];
  for (let d = 0; d < dirs; d++) {
    const state: Record<string, Value> = {};
    for (const s of stateNames) {
      const given = layer.initial?.[s];
      initialStates.push(given ? g.gather(given, g.scalar(d, 'int64'), 0) : zeroState(g, layer.x, hidden));
      state[s] = body.input(body.fresh(`${s}_in`), 'float32', ['batch', hidden]);
    }
    bodyStates.push(state);
  }

  const scanInputs: Value[] = [];
  const bodySteps: { xt: Value; mask: Value }[] = [];
  for (const direction of directions) {
    // Built where the layer is (an If branch may hold the layer's input), reading the scope's weights.
    const projected = direction.step.project ? direction.step.project(g, layer.x) : layer.x;
    scanInputs.push(projected, layer.mask());
    bodySteps.push({
      xt: body.input(body.fresh('x_t'), 'float32', ['batch', `${body.fresh('features')}`]),
      mask: body.input(body.fresh('mask_t'), 'bool', ['batch', 1]),
    });
  }

  const stateOutputs: Value[] = [];
  const sequenceOutputs: Value[] = [];
  const zero = body.scalar(0);
  directions.forEach((direction, d) => {
    const old = bodyStates[d]!;
    const { xt, mask } = bodySteps[d]!;
    const next = direction.step.step(body, xt, old);
    for (const s of stateNames) {
      if (!next[s]) throw new Error(`cell step returned no state "${s}" (it declares ${stateNames.join(', ')})`);
      stateOutputs.push(body.where(mask, next[s]!, old[s]!));
    }
    sequenceOutputs.push(body.where(mask, next[stateNames[0]!]!, zero));
  });
  for (const v of [...stateOutputs, ...sequenceOutputs]) body.output(v, v.name, 'float32', ['batch', hidden]);

  const outputs = g.op('Scan', [...initialStates, ...scanInputs], {
    body,
    num_scan_inputs: scanInputs.length,
    scan_input_directions: directions.flatMap((_, d) => [d, d]),
    scan_output_directions: directions.map((_, d) => d),
  }, stateOutputs.length + sequenceOutputs.length);

  const finalStates = outputs.slice(0, stateOutputs.length);
  const sequences = outputs.slice(stateOutputs.length);
  const final: Record<string, Value> = {};
  stateNames.forEach((s, i) => {
    const perDirection = directions.map((_, d) => g.unsqueeze(finalStates[d * stateNames.length + i]!, [0]));
    final[s] = dirs === 1 ? perDirection[0]! : g.concat(perDirection, 0);
  });
  const sequence = dirs === 1 ? sequences[0]! : g.concat(sequences, 2);
  return { sequence, final };
}

import { RuntimeErrors, type CellState, type GraphBuilder, type Value } from '@recur/runtime';
import { zeroState, type LayerInput, type LayerOutput } from './layer.js';

/**
 * One layer as an ONNX `Scan` whose body is built from the cell's `step`, both directions in one
 * Scan. The body is the step and nothing else: lengths are honoured around the loop, once per
 * layer instead of once per step.
 *
 * - The backward direction reads its input reversed per sequence (`ReverseSequence` with the
 *   lengths), so it starts at each sequence's own last step; its outputs are reversed back.
 * - Every state is a scan output; each direction's final state is its value at step length-1
 *   (the initial state for an empty sequence), gathered after the loop.
 * - Steps past a sequence's end compute values nobody reads; the sequence is zeroed there at the end.
 *
 * This is PyTorch's packed-sequence semantics. The state-independent work (`project`, typically
 * x W^T + b for all steps) runs once outside the loop.
 */
export function buildScanLayer(g: GraphBuilder, layer: LayerInput): LayerOutput {
  const { hidden, stateNames, directions } = layer;
  const dirs = directions.length;
  const lengths64 = g.cast(layer.lengths, 'int64');
  const reverse = (v: Value) => g.op1('ReverseSequence', [v, lengths64], { time_axis: 0, batch_axis: 1 });
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

  const scanInputs = directions.map((direction, d) => {
    // Built where the layer is (an If branch may hold the layer's input), reading the scope's weights.
    const projected = layer.projected?.[d] ?? (direction.step.project ? direction.step.project(g, layer.x) : layer.x);
    return d === 1 ? reverse(projected) : projected;
  });
  const bodyInputs = scanInputs.map(() => body.input(body.fresh('x_t'), 'float32', ['batch', body.fresh('features')]));

  const nextStates: Value[] = [];
  directions.forEach((direction, d) => {
    const next = direction.step.step(body, bodyInputs[d], bodyStates[d]);
    for (const s of stateNames) {
      if (!next[s])
        throw RuntimeErrors.PLUGIN_CONTRACT(`the cell's step returned no state "${s}"`, {
          state: s,
          expected: stateNames.join(', '),
        });
      nextStates.push(next[s]);
    }
  });
  // Loop-carried states, then the same values again as per-step scan outputs. Graph outputs need
  // names of their own, so one of the two is an Identity copy; the state keeps the name a body node
  // gave it (no copy). A state passed through from an input or the outer scope, or returned twice,
  // gets a copy of its own.
  const madeInBody = new Set(body.nodes.flatMap((n) => n.outputs));
  const carried = nextStates.map((v) =>
    madeInBody.has(v.name) && nextStates.filter((w) => w.name === v.name).length === 1
      ? v.name
      : body.fresh('state_out'),
  );
  nextStates.forEach((v, i) => body.output(v, carried[i], 'float32', ['batch', hidden]));
  for (const v of nextStates) body.output(v, body.fresh('step_out'), 'float32', ['batch', hidden]);

  const outputs = g.op(
    'Scan',
    [...initialStates, ...scanInputs],
    { body, num_scan_inputs: scanInputs.length },
    2 * nextStates.length,
  );
  const perStep = outputs.slice(nextStates.length); // [T, B, H] each, direction-major then state

  const last = lastStepIndex(g, layer.lengths, hidden);
  const final: Record<string, Value> = {};
  stateNames.forEach((s, i) => {
    const perDirection = directions.map((_, d) => {
      const k = d * stateNames.length + i;
      const atLast = g.op1('GatherElements', [perStep[k], last.index], { axis: 0 }); // [1, B, H]
      return g.where(last.nonEmpty, atLast, g.unsqueeze(initialStates[k], [0]));
    });
    final[s] = dirs === 1 ? perDirection[0] : g.concat(perDirection, 0);
  });
  const outputsPerDirection = directions.map((_, d) => {
    const y = perStep[d * stateNames.length];
    return d === 1 ? reverse(y) : y;
  });
  const sequence = g.where(
    layer.mask(),
    dirs === 1 ? outputsPerDirection[0] : g.concat(outputsPerDirection, 2),
    g.scalar(0),
  );
  return { sequence, final };
}

/** GatherElements indices [1, B, hidden] of each sequence's last step, and [1, B, 1] "length > 0". */
function lastStepIndex(g: GraphBuilder, lengths: Value, hidden: number): { index: Value; nonEmpty: Value } {
  const lengths64 = g.cast(lengths, 'int64');
  const one = g.scalar(1, 'int64');
  const lastStep = g.op1('Max', [g.sub(lengths64, one), g.scalar(0, 'int64')]); // [B]
  const perBatch = g.unsqueeze(lastStep, [0, 2]); // [1, B, 1]
  const shape = g.concat([g.ints([1]), g.shape(lengths), g.ints([hidden])], 0);
  return {
    index: g.expand(perBatch, shape),
    nonEmpty: g.unsqueeze(g.greater(lengths64, g.scalar(0, 'int64')), [0, 2]),
  };
}

import type { CellPart, EncoderBuildOptions, GraphBuilder, Value } from '@recur/runtime';
import { stepMask, type DirectionCell, type LayerOutput } from './layer.js';
import { buildNativeLayer } from './native-layer.js';
import { buildScanLayer } from './scan-layer.js';

/** The shape of a layer stack, fixed when the encoder is created. */
export interface StackConfig {
  readonly cell: CellPart;
  readonly inputDim: number;
  readonly hidden: number;
  readonly layers: number;
  readonly directions: 1 | 2;
  /** Parameter scope of one layer and direction: `layers.0.backward`. */
  readonly scopeOf: (layer: number, direction: number) => string;
}

/**
 * Builds every layer on one path. `ops` receives the nodes; `params` is the encoder's own scope,
 * where parameters are declared (they differ when the stack is built inside an `If` branch, whose
 * nodes live in a subgraph while the weights keep their names). Returns the top layer's sequence
 * and each state's final values [layers*dirs, B, hidden].
 */
export function buildStack(
  ops: GraphBuilder,
  params: GraphBuilder,
  config: StackConfig,
  path: 'native' | 'scan',
  x: Value,
  lengths: Value,
  initial?: Readonly<Record<string, Value>>,
  hooks?: EncoderBuildOptions,
  firstProjected?: readonly Value[],
): LayerOutput {
  const { cell, hidden, layers, directions } = config;
  let mask: Value | undefined;
  let input = x;
  let inputSize = config.inputDim;
  const finals: LayerOutput['final'][] = [];
  for (let l = 0; l < layers; l++) {
    const cells: DirectionCell[] = Array.from({ length: directions }, (_, d) => {
      const scope = params.scope(config.scopeOf(l, d));
      return { scope, step: cell.declare(scope, inputSize, hidden) };
    });
    // One layer's rows are the whole state: a Slice there would be a node run at every step for nothing.
    const layerInitial = !initial
      ? undefined
      : layers === 1
        ? initial
        : sliceLayer(ops, initial, cell.stateNames, l, directions);
    const layer = {
      index: l,
      x: input,
      inputSize,
      lengths,
      hidden,
      stateNames: cell.stateNames,
      directions: cells,
      mask: () => (mask ??= stepMask(ops, x, lengths)),
      ...(layerInitial ? { initial: layerInitial } : {}),
      ...(l === 0 && firstProjected ? { projected: firstProjected } : {}),
      ...(path === 'native' ? { native: cell.native! } : {}),
    };
    const out = path === 'native' ? buildNativeLayer(ops, layer) : buildScanLayer(ops, layer);
    finals.push(out.final);
    input = out.sequence;
    inputSize = directions * hidden;
    if (l < layers - 1 && hooks?.betweenLayers) input = hooks.betweenLayers(ops, input, l);
  }
  const final: Record<string, Value> = {};
  for (const s of cell.stateNames)
    final[s] =
      layers === 1
        ? finals[0][s]
        : ops.concat(
            finals.map((f) => f[s]),
            0,
          );
  return { sequence: input, final };
}

/**
 * The stack on both paths behind an `If` on the number of steps: the native operator for a single
 * step (where a Scan's set-up costs more than the step) and the Scan path for longer inputs. Used
 * by `auto` for cells whose native operator is the slower one over sequences.
 */
export function buildDispatchedStack(
  g: GraphBuilder,
  config: StackConfig,
  x: Value,
  lengths: Value,
  initial?: Readonly<Record<string, Value>>,
  hooks?: EncoderBuildOptions,
): LayerOutput {
  const steps = g.shape(x, 0, 1);
  const singleStep = g.squeeze(g.equal(steps, g.ints([1])), [0]);
  // The first layer's projection is built out here, beside its weights: ONNX Runtime prepacks a
  // MatMul's constant operand only in the graph that holds it, and inside a branch the same MatMul
  // runs markedly slower. (The native branch does not read it; for one step it costs little.)
  const firstProjected = Array.from({ length: config.directions }, (_, d) => {
    const step = config.cell.declare(g.scope(config.scopeOf(0, d)), config.inputDim, config.hidden);
    return step.project ? step.project(g, x) : x;
  });
  const branch = (name: string, path: 'native' | 'scan'): GraphBuilder => {
    const b = g.subgraph(name);
    const out = buildStack(
      b,
      g,
      config,
      path,
      x,
      lengths,
      initial,
      hooks,
      path === 'scan' ? firstProjected : undefined,
    );
    b.output(out.sequence, b.fresh('sequence'), 'float32');
    for (const s of config.cell.stateNames) b.output(out.final[s], b.fresh(`final_${s}`), 'float32');
    return b;
  };
  const outputs = g.op(
    'If',
    [singleStep],
    { then_branch: branch('one_step', 'native'), else_branch: branch('steps', 'scan') },
    1 + config.cell.stateNames.length,
  );
  const final: Record<string, Value> = {};
  config.cell.stateNames.forEach((s, i) => (final[s] = outputs[i + 1]!));
  return { sequence: outputs[0], final };
}

/** Rows [l*dirs, (l+1)*dirs) of each initial state [layers*dirs, B, H]. */
function sliceLayer(
  g: GraphBuilder,
  initial: Readonly<Record<string, Value>>,
  stateNames: readonly string[],
  l: number,
  dirs: number,
): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const s of stateNames) {
    const v = initial[s];
    if (v) out[s] = g.slice(v, [l * dirs], [(l + 1) * dirs], [0]);
  }
  return out;
}

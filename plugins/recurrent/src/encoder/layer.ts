import type { CellStep, GraphBuilder, NativeCell, Value } from '@recur/runtime';

/** One direction of one layer: the builder scoped to its parameters and the cell's step there. */
export interface DirectionCell {
  /** Scoped to `layers.<l>.<forward|backward>`; the cell's parameters live here. */
  readonly scope: GraphBuilder;
  readonly step: CellStep;
}

/** What one layer needs; time-major shapes as at every part boundary. */
export interface LayerInput {
  readonly index: number;
  /** [T, B, inputSize] */
  readonly x: Value;
  readonly inputSize: number;
  /** [B] int32 */
  readonly lengths: Value;
  /** [T, B, 1] bool, true on valid steps; made on first use and shared by every layer. */
  mask(): Value;
  readonly hidden: number;
  readonly stateNames: readonly string[];
  /** Forward, then backward when bidirectional. */
  readonly directions: readonly DirectionCell[];
  /** This layer's initial states, each [dirs, B, hidden]; zeros when absent. */
  readonly initial?: Readonly<Record<string, Value>>;
  /**
   * Each direction's projected input (`project` applied to x), when it was computed outside the
   * graph the layer is built in (see buildDispatchedStack).
   */
  readonly projected?: readonly Value[];
  /** Set when the native operator computes this layer. */
  readonly native?: NativeCell;
}

/** One layer's result: the sequence [T, B, dirs*hidden] and each state's final value [dirs, B, hidden]. */
export interface LayerOutput {
  readonly sequence: Value;
  readonly final: Readonly<Record<string, Value>>;
}

/** [B, hidden] zeros shaped after the batch of x [T, B, *]. */
export function zeroState(g: GraphBuilder, x: Value, hidden: number): Value {
  const shape = g.concat([g.shape(x, 1, 2), g.ints([hidden])], 0);
  return g.op1('ConstantOfShape', [shape]);
}

/** [T, B, 1] bool: true where step t lies inside sequence b (t < lengths[b]). */
export function stepMask(g: GraphBuilder, x: Value, lengths: Value): Value {
  // In int64, as Shape gives it: ONNX Runtime's shape inference refuses Range over a Cast of a
  // static shape ("All inputs to 'Range' op must be of the same type").
  const steps = g.squeeze(g.shape(x, 0, 1), [0]);
  const range = g.op1('Range', [g.scalar(0, 'int64'), steps, g.scalar(1, 'int64')]); // [T]
  return g.unsqueeze(g.less(g.unsqueeze(range, [1]), g.unsqueeze(g.cast(lengths, 'int64'), [0])), [2]);
}

import { GraphBuilder, type Dim, type DType, type ParamDecl, type Value } from '@recur/runtime';
import { addGradients } from '../autodiff/gradients.js';
import { unrollScans } from './unroll-scans.js';

/** What a model's training-graph builder returns. */
export interface ForwardResult {
  /** The scalar loss to minimise. */
  readonly loss: Value;
  /** Other values to bring back each step (final states carried to the next chunk, counts, logits). */
  readonly outputs?: Readonly<Record<string, { readonly value: Value; readonly dtype: DType }>>;
  /** Dropout masks the graph reads as inputs; the trainer draws them from the run's generator each step. */
  readonly masks?: readonly MaskInput[];
}

/** A dropout mask fed as a graph input: `dims` may name batch dimensions (`T`, `B`) resolved per batch. */
export interface MaskInput {
  readonly name: string;
  readonly rate: number;
  readonly dims: readonly Dim[];
}

/** Declares a dropout mask input on `g` and applies it to `x` (inverted dropout: x * mask). */
export function applyDropout(
  g: GraphBuilder,
  x: Value,
  name: string,
  rate: number,
  dims: readonly Dim[],
  masks: MaskInput[],
): Value {
  if (rate <= 0) return x;
  const mask = g.input(name, 'float32', dims);
  masks.push({ name, rate, dims });
  return g.mul(x, mask);
}

export interface TrainingGraphOptions {
  /** Parameters that are not trained (frozen): they stay graph inputs without a gradient. */
  readonly frozen?: ReadonlySet<string>;
  readonly name?: string;
  /**
   * Unroll every Scan over this many steps before differentiating (graphs for one fixed length; see
   * SPIKE.md). Unset: Scans stay loops, and one graph serves every length.
   */
  readonly unroll?: number;
}

/** A forward + backward graph: data and parameters in; loss, gradients and extra outputs out. */
export interface TrainingGraph {
  readonly bytes: Uint8Array;
  /** Every parameter the forward graph declares (each is a graph input). */
  readonly params: readonly ParamDecl[];
  /** Graph inputs that are not parameters: ids, targets, lengths, dropout masks, initial states. */
  readonly dataInputs: readonly Value[];
  /** Graph output holding the gradient of each trained parameter. */
  readonly gradOutputs: ReadonlyMap<string, string>;
  /** Names of the extra outputs. */
  readonly extraOutputs: readonly string[];
  /** Dropout masks to feed each step. */
  readonly masks: readonly MaskInput[];
  /** Trained parameters the loss does not depend on (their gradient is always zero). */
  readonly unused: readonly string[];
  /** Node count, for logs and benchmarks. */
  readonly nodeCount: number;
}

export const LOSS_OUTPUT = 'loss';
export const gradOutputName = (param: string): string => `grad.${param}`;

/** Builds the forward graph with `build`, differentiates it, and serialises the training graph. */
export function buildTrainingGraph(
  build: (g: GraphBuilder) => ForwardResult,
  options: TrainingGraphOptions = {},
): TrainingGraph {
  const g = new GraphBuilder(options.name ?? 'train');
  const { loss, outputs = {}, masks = [] } = build(g);
  if (options.unroll !== undefined) unrollScans(g, options.unroll);
  const maskNames = new Set(masks.map((m) => m.name));
  const dataInputs = g.inputs.filter((v) => !maskNames.has(v.name));
  const trained = g.params.map((p) => p.name).filter((n) => !options.frozen?.has(n));
  const { grads, unused } = addGradients(g, loss, trained);
  g.output(loss, LOSS_OUTPUT, 'float32', []);
  const gradOutputs = new Map<string, string>();
  for (const name of trained) {
    const out = gradOutputName(name);
    const decl = g.params.find((p) => p.name === name)!;
    g.output(grads.get(name)!, out, 'float32', decl.dims);
    gradOutputs.set(name, out);
  }
  for (const [name, o] of Object.entries(outputs)) g.output(o.value, name, o.dtype);
  return {
    bytes: g.toBytes(),
    params: g.params,
    dataInputs,
    gradOutputs,
    extraOutputs: Object.keys(outputs),
    masks,
    unused,
    nodeCount: g.nodes.length,
  };
}

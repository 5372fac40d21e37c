/**
 * The gradient of a Scan (ONNX defines none): a reverse Scan over the gradient of the body.
 *
 * Forward:  s_t = body(s_{t-1}, x_t) -> (s_t, y_t), reading outer values W (parameters).
 * Backward: a Scan in the opposite direction carries ds; at each step it receives dy_t and the
 * forward step's activations it needs ("residuals", which the forward Scan now also outputs, stacked),
 * and emits dx_t. Weight gradients of the form a_t^T b_t are not accumulated in the loop: both factors
 * leave the loop stacked and become one matmul over all steps (SPIKE.md). Other weight gradients are
 * accumulated in carried state.
 *
 * The forward Scan node is extended in place with the residual outputs (appended, so its consumers are
 * unaffected): a training graph is built for training, and this keeps forward and backward in one graph.
 */
import { GraphBuilder, type DType, type NodeRecord, type Value } from '@recur/runtime';
import { TrainErrors } from '../../errors.js';
import {
  deferredMatMul,
  isDeferred,
  sumContributions,
  type Contribution,
  type DeferredMatMul,
} from '../contribution.js';
import type { GradContext } from '../grad-context.js';
import { inferBody, isFloat, type InfoDim, type Scope, type ValueInfo } from '@recur/runtime/internal';
import { implicitInputs } from '../backprop.js';
import type { GradRule } from './types.js';

interface ScanInput {
  readonly feed: Value;
  readonly placeholder: string;
  readonly info: ValueInfo | undefined;
  readonly direction: number;
}

const scan: GradRule = (a) => {
  const { ctx, node } = a;
  const g = ctx.g;
  const body = node.attrs['body'] as GraphBuilder;
  const m = node.attrs['num_scan_inputs'] as number;
  const n = node.inputs.length - m;
  const k = node.outputs.length - n;
  checkAxes(node);
  const inDirs = (node.attrs['scan_input_directions'] as number[] | undefined) ?? new Array<number>(m).fill(0);
  const outDirs = (node.attrs['scan_output_directions'] as number[] | undefined) ?? new Array<number>(k).fill(0);
  const bodyScope = inferBody(body, ctx.scope);
  const bodyIn = body.inputs.map((v) => v.name);
  const bodyOut = body.outputs.map((v) => v.name);
  const B = g.subgraph('grad');

  // Carried gradients of the float states, and gradients of the scan outputs that reach the loss.
  const carries: { index: number; placeholder: string }[] = [];
  const seeds = new Map<string, Contribution[]>();
  const seed = (name: string, v: Value): void => {
    const l = seeds.get(name);
    if (l) l.push(v);
    else seeds.set(name, [v]);
  };
  for (let i = 0; i < n; i++) {
    if (!isFloat(bodyScope.get(bodyIn[i]))) continue;
    const placeholder = B.fresh('carry');
    carries.push({ index: i, placeholder });
    seed(bodyOut[i], { name: placeholder });
  }
  const dyInputs: ScanInput[] = [];
  for (let j = 0; j < k; j++) {
    const dy = a.dy[n + j];
    if (!dy) continue;
    const placeholder = B.fresh('dy_t');
    dyInputs.push({ feed: dy, placeholder, info: bodyScope.get(bodyOut[n + j]), direction: 1 - (outDirs[j] ?? 0) });
    seed(bodyOut[n + j], { name: placeholder });
  }

  const wrt = new Set<string>([...carries.map((c) => bodyIn[c.index])]);
  for (let i = 0; i < m; i++) if (a.needs[n + i]) wrt.add(bodyIn[n + i]);
  for (const w of a.needsOuter) wrt.add(w);
  const grads = a.backprop({ builder: B, scope: bodyScope, nodes: body.nodes, seeds, wrt });

  // Outputs of the reverse body: carried gradients, accumulators, then per-step outputs.
  const stateOuts: Value[] = [];
  const stateInits: Value[] = [];
  const stateInputs: { name: string; info: ValueInfo | undefined }[] = [];
  const scanOuts: { value: Value; direction: number; dtype: DType }[] = [];
  const afterCarry: number[] = [];
  for (const c of carries) {
    const s = bodyIn[c.index];
    stateInputs.push({ name: c.placeholder, info: bodyScope.get(s) });
    stateInits.push(a.dy[c.index] ?? ctx.zerosLike(node.inputs[c.index]));
    stateOuts.push(
      sumContributions(B, grads.get(s)) ??
        B.op1('ConstantOfShape', [B.shape({ name: c.placeholder })], { value: zeroTensor(dtypeOf(bodyScope.get(s))) }),
    );
    afterCarry.push(c.index);
  }
  const outer = new Map<string, Contribution[]>();
  const hoisted: { w: string; a: Value; b: Value; transposed: boolean }[] = [];
  const accumulators: string[] = [];
  for (const w of a.needsOuter) {
    const list = grads.get(w) ?? [];
    if (list.length === 0) continue;
    for (const d of list.filter<DeferredMatMul>(isDeferred))
      hoisted.push({ w, a: d.a, b: d.b, transposed: d.transposed });
    const rest = list.filter((c) => !isDeferred(c));
    if (rest.length > 0) {
      const placeholder = B.fresh('acc');
      stateInputs.push({ name: placeholder, info: ctx.info(w) });
      stateInits.push(ctx.zerosLike(w));
      stateOuts.push(B.add({ name: placeholder }, sumContributions(B, rest)!));
      accumulators.push(w);
    }
  }
  const dxIndex: number[] = [];
  for (let i = 0; i < m; i++) {
    if (!a.needs[n + i]) continue;
    const d = sumContributions(B, grads.get(bodyIn[n + i]));
    if (!d) continue;
    dxIndex.push(i);
    scanOuts.push({ value: d, direction: 1 - (inDirs[i] ?? 0), dtype: dtypeOf(bodyScope.get(bodyIn[n + i])) });
  }

  // Forward values the reverse body reads become per-step inputs of the reverse Scan.
  const stacked = new StackedForward(node, body, bodyScope, n, outDirs, ctx.scope);
  const residuals = collectResiduals(
    B,
    body,
    stateInputs.map((s) => s.name).concat(dyInputs.map((d) => d.placeholder)),
    scanOuts.map((s) => s.value.name),
    stateOuts.map((s) => s.name),
  );
  const residualInputs: ScanInput[] = residuals.map((r) => residualFeed(r, node, body, bodyScope, n, inDirs, stacked));

  // Factors of hoisted weight gradients leave the loop stacked in the forward Scan's iteration order:
  // forward values straight from the forward Scan, reverse-body values written backwards (direction 1).
  const factorSource = (f: Value, w: string): { outer?: Value; index?: number } => {
    const fromForward = stacked.inIterationOrder(f.name, inDirs);
    if (fromForward) return { outer: fromForward };
    if (body.constants.has(f.name)) B.constants.set(f.name, body.constants.get(f.name)!);
    const index = scanOuts.length;
    scanOuts.push({ value: f, direction: 1, dtype: ctx.dtype(w) });
    return { index };
  };
  const factors = hoisted.map((h) => ({ h, a: factorSource(h.a, h.w), b: factorSource(h.b, h.w) }));
  // A factor read from the forward Scan may need to be a residual input too, if the reverse body reads it.
  const extraResiduals = collectResiduals(
    B,
    body,
    [...stateInputs.map((s) => s.name), ...dyInputs.map((d) => d.placeholder), ...residuals],
    scanOuts.map((s) => s.value.name),
  );
  for (const r of extraResiduals) residualInputs.push(residualFeed(r, node, body, bodyScope, n, inDirs, stacked));

  // Assemble the reverse body's signature.
  for (const s of stateInputs) B.inputs.push(valueOf(s.name, s.info, B));
  for (const d of [...dyInputs, ...residualInputs]) B.inputs.push(valueOf(d.placeholder, d.info, B));
  stateOuts.forEach((v, i) => {
    outputAs(B, v, 'carry_out', dtypeOf(stateInputs[i].info));
  });
  for (const s of scanOuts) outputAs(B, s.value, 'step_out', s.dtype);

  const scanInputs = [...dyInputs, ...residualInputs];
  const outs = g.op(
    'Scan',
    [...stateInits, ...scanInputs.map((s) => s.feed)],
    {
      body: B,
      num_scan_inputs: scanInputs.length,
      scan_input_directions: scanInputs.map((s) => s.direction),
      scan_output_directions: scanOuts.map((s) => s.direction),
    },
    stateOuts.length + scanOuts.length,
  );

  const inputs = new Array<Contribution | undefined>(node.inputs.length).fill(undefined);
  afterCarry.forEach((index, c) => {
    if (a.needs[index]) inputs[index] = outs[c];
  });
  accumulators.forEach((w, i) => {
    push(outer, w, outs[afterCarry.length + i]);
  });
  const base = stateOuts.length;
  const resolve = (src: { outer?: Value; index?: number }): Value => src.outer ?? outs[base + src.index!];
  for (const f of factors)
    push(outer, f.h.w, deferredMatMul(rows(ctx, resolve(f.a)), rows(ctx, resolve(f.b)), f.h.transposed));
  dxIndex.forEach((i, j) => {
    inputs[n + i] = outs[base + j];
  });
  return { inputs, outer };
};

function checkAxes(node: NodeRecord): void {
  for (const attr of ['scan_input_axes', 'scan_output_axes']) {
    const axes = node.attrs[attr] as number[] | undefined;
    if (axes && axes.some((x) => x !== 0)) {
      throw TrainErrors.GRAPH_UNSUPPORTED(`Scan node ${node.name}: ${attr} other than 0 cannot be differentiated yet`, {
        pointer: node.name,
        expected: `${attr} all 0 (time-major)`,
      });
    }
  }
}

/** Names the reverse body reads that the forward body computes (or receives, or holds as constants). */
function collectResiduals(
  B: GraphBuilder,
  body: GraphBuilder,
  bInputs: readonly string[],
  ...extra: readonly string[][]
): string[] {
  const own = new Set<string>(bInputs);
  for (const nd of B.nodes) for (const o of nd.outputs) own.add(o);
  const forward = new Set<string>(body.inputs.map((v) => v.name));
  for (const nd of body.nodes) for (const o of nd.outputs) forward.add(o);
  const reads = new Set<string>();
  for (const nd of B.nodes) {
    for (const i of nd.inputs) if (i) reads.add(i);
    for (const i of implicitInputs(nd)) reads.add(i);
  }
  for (const list of extra) for (const name of list) reads.add(name);
  const residuals: string[] = [];
  for (const r of reads) {
    if (own.has(r)) continue;
    const constant = body.constants.get(r);
    if (constant) {
      B.constants.set(r, constant);
      continue;
    }
    if (forward.has(r)) residuals.push(r);
  }
  return residuals;
}

/** How the reverse Scan receives residual `r`: the scan input itself, or the forward Scan's stacked copy. */
function residualFeed(
  r: string,
  node: NodeRecord,
  body: GraphBuilder,
  bodyScope: Scope,
  n: number,
  inDirs: readonly number[],
  stacked: StackedForward,
): ScanInput {
  const info = bodyScope.get(r);
  const inputIndex = body.inputs.findIndex((v) => v.name === r);
  if (inputIndex >= n) {
    return {
      feed: { name: node.inputs[inputIndex] },
      placeholder: r,
      info,
      direction: 1 - (inDirs[inputIndex - n] ?? 0),
    };
  }
  const s = stacked.get(r);
  return { feed: s.value, placeholder: r, info, direction: 1 - s.direction };
}

/**
 * Stacked copies of forward-body values, made by the forward Scan: an existing scan output where there is
 * one, else a new output appended to the forward Scan (once per value).
 */
class StackedForward {
  private readonly made = new Map<string, { value: Value; direction: number }>();

  constructor(
    private readonly node: NodeRecord,
    private readonly body: GraphBuilder,
    private readonly bodyScope: Scope,
    private readonly n: number,
    private readonly outDirs: readonly number[],
    private readonly outerScope: Scope,
  ) {}

  /** The stacked value and the direction it was written in (0: iteration order). */
  get(r: string): { value: Value; direction: number } {
    const outIndex = this.body.outputs.findIndex((v) => v.name === r);
    if (outIndex >= this.n)
      return { value: { name: this.node.outputs[outIndex] }, direction: this.outDirs[outIndex - this.n] ?? 0 };
    let made = this.made.get(r);
    if (!made) {
      const info = this.bodyScope.get(r);
      outputAs(this.body, { name: r }, 'residual', dtypeOf(info));
      const name = this.body.fresh('residual_seq');
      (this.node.outputs as string[]).push(name);
      const attrs = this.node.attrs as Record<string, unknown>;
      if (attrs['scan_output_directions'])
        attrs['scan_output_directions'] = [...(attrs['scan_output_directions'] as number[]), 0];
      if (attrs['scan_output_axes']) attrs['scan_output_axes'] = [...(attrs['scan_output_axes'] as number[]), 0];
      this.outerScope.set(name, { dtype: dtypeOf(info), ...(info?.dims ? { dims: [null, ...info.dims] } : {}) });
      made = { value: { name }, direction: 0 };
      this.made.set(r, made);
    }
    return made;
  }

  /**
   * `r` stacked in the forward Scan's iteration order, when `r` is a forward value (undefined for values
   * of the reverse body, or a scan input read in reverse).
   */
  inIterationOrder(r: string, inDirs: readonly number[]): Value | undefined {
    const inputIndex = this.body.inputs.findIndex((v) => v.name === r);
    if (inputIndex >= this.n)
      return (inDirs[inputIndex - this.n] ?? 0) === 0 ? { name: this.node.inputs[inputIndex] } : undefined;
    const isForward = inputIndex >= 0 || this.body.nodes.some((nd) => nd.outputs.includes(r));
    if (!isForward) return undefined;
    const s = this.get(r);
    if (s.direction === 0) return s.value;
    return undefined;
  }
}

/**
 * Marks `v` as an output of `body` under its own name when it is a node output not yet returned (no
 * Identity node, which would run at every step), else through an Identity with a fresh name.
 */
function outputAs(body: GraphBuilder, v: Value, hint: string, dtype: DType): void {
  const produced = body.nodes.some((n) => n.outputs.includes(v.name));
  const taken = body.outputs.some((o) => o.name === v.name);
  body.output(v, produced && !taken ? v.name : body.fresh(hint), dtype);
}

/** [T, rows, K] stacked factors -> [T*rows, K]. */
function rows(ctx: GradContext, v: Value): Value {
  const g = ctx.g;
  return g.reshape(v, g.concat([g.ints([-1]), g.shape(v, -1)], 0));
}

function push(map: Map<string, Contribution[]>, name: string, c: Contribution): void {
  const l = map.get(name);
  if (l) l.push(c);
  else map.set(name, [c]);
}

function dtypeOf(info: ValueInfo | undefined): DType {
  return info?.dtype ?? 'float32';
}

function zeroTensor(dtype: DType) {
  const data = dtype === 'float64' ? new Float64Array(1) : new Float32Array(1);
  return { dtype, dims: [1], data };
}

/** A body input declaration: element type and rank, unknown sizes as their own symbols. */
function valueOf(name: string, info: ValueInfo | undefined, B: GraphBuilder): Value {
  const dims = info?.dims?.map((d: InfoDim) => (d === null ? B.fresh('dim') : d));
  return { name, dtype: dtypeOf(info), ...(dims ? { dims } : {}) };
}

export const scanRules: Record<string, GradRule> = { Scan: scan };

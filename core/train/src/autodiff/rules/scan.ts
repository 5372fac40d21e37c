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
import { deferredMatMul, isDeferred, sumContributions, type Contribution, type DeferredMatMul } from '../contribution.js';
import type { GradContext } from '../grad-context.js';
import { inferBody } from '../shape-inference.js';
import { isFloat, type InfoDim, type Scope, type ValueInfo } from '../value-info.js';
import { implicitInputs } from '../backprop.js';
import type { GradRule } from './types.js';

interface ScanInput { readonly feed: Value; readonly placeholder: string; readonly info: ValueInfo | undefined; readonly direction: number }

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
  const seed = (name: string, v: Value): void => { const l = seeds.get(name); if (l) l.push(v); else seeds.set(name, [v]); };
  for (let i = 0; i < n; i++) {
    if (!isFloat(bodyScope.get(bodyIn[i]!))) continue;
    const placeholder = B.fresh('carry');
    carries.push({ index: i, placeholder });
    seed(bodyOut[i]!, { name: placeholder });
  }
  const dyInputs: ScanInput[] = [];
  for (let j = 0; j < k; j++) {
    const dy = a.dy[n + j];
    if (!dy) continue;
    const placeholder = B.fresh('dy_t');
    dyInputs.push({ feed: dy, placeholder, info: bodyScope.get(bodyOut[n + j]!), direction: 1 - (outDirs[j] ?? 0) });
    seed(bodyOut[n + j]!, { name: placeholder });
  }

  const wrt = new Set<string>([...carries.map((c) => bodyIn[c.index]!)]);
  for (let i = 0; i < m; i++) if (a.needs[n + i]) wrt.add(bodyIn[n + i]!);
  for (const w of a.needsOuter) wrt.add(w);
  const grads = a.backprop({ builder: B, scope: bodyScope, nodes: body.nodes, seeds, wrt });

  // Outputs of the reverse body: carried gradients, accumulators, then per-step outputs.
  const stateOuts: Value[] = [];
  const stateInits: Value[] = [];
  const stateInputs: { name: string; info: ValueInfo | undefined }[] = [];
  const scanOuts: { value: Value; direction: number; dtype: DType }[] = [];
  const afterCarry: number[] = [];
  for (const c of carries) {
    const s = bodyIn[c.index]!;
    stateInputs.push({ name: c.placeholder, info: bodyScope.get(s) });
    stateInits.push(a.dy[c.index] ?? ctx.zerosLike(node.inputs[c.index]!));
    stateOuts.push(sumContributions(B, grads.get(s)) ?? B.op1('ConstantOfShape', [B.shape({ name: c.placeholder })], { value: zeroTensor(dtypeOf(bodyScope.get(s))) }));
    afterCarry.push(c.index);
  }
  const outer = new Map<string, Contribution[]>();
  const hoisted: { w: string; a: number; b: number; transposed: boolean }[] = [];
  const accumulators: string[] = [];
  for (const w of a.needsOuter) {
    const list = grads.get(w) ?? [];
    if (list.length === 0) continue;
    const deferred = list.filter(isDeferred);
    const rest = list.filter((c) => !isDeferred(c));
    for (const d of deferred as DeferredMatMul[]) {
      hoisted.push({ w, a: scanOuts.length, b: scanOuts.length + 1, transposed: d.transposed });
      scanOuts.push({ value: d.a, direction: 0, dtype: ctx.dtype(w) }, { value: d.b, direction: 0, dtype: ctx.dtype(w) });
    }
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
    const d = sumContributions(B, grads.get(bodyIn[n + i]!));
    if (!d) continue;
    dxIndex.push(i);
    scanOuts.push({ value: d, direction: 1 - (inDirs[i] ?? 0), dtype: dtypeOf(bodyScope.get(bodyIn[n + i]!)) });
  }

  // Forward values the reverse body reads become per-step inputs of the reverse Scan.
  const residuals = collectResiduals(B, body, bodyScope, stateInputs.map((s) => s.name).concat(dyInputs.map((d) => d.placeholder)), scanOuts.map((s) => s.value.name), stateOuts.map((s) => s.name));
  const residualInputs: ScanInput[] = residuals.map((r) => residualFeed(r, node, body, bodyScope, n, inDirs, outDirs, ctx.scope));

  // Assemble the reverse body's signature.
  for (const s of stateInputs) B.inputs.push(valueOf(s.name, s.info, B));
  for (const d of [...dyInputs, ...residualInputs]) B.inputs.push(valueOf(d.placeholder, d.info, B));
  stateOuts.forEach((v, i) => B.output(v, B.fresh('carry_out'), dtypeOf(stateInputs[i]!.info)));
  for (const s of scanOuts) B.output(s.value, B.fresh('step_out'), s.dtype);

  const scanInputs = [...dyInputs, ...residualInputs];
  const outs = g.op('Scan', [...stateInits, ...scanInputs.map((s) => s.feed)], {
    body: B,
    num_scan_inputs: scanInputs.length,
    scan_input_directions: scanInputs.map((s) => s.direction),
    scan_output_directions: scanOuts.map((s) => s.direction),
  }, stateOuts.length + scanOuts.length);

  const inputs: (Contribution | undefined)[] = new Array(node.inputs.length).fill(undefined);
  afterCarry.forEach((index, c) => { if (a.needs[index]) inputs[index] = outs[c]; });
  accumulators.forEach((w, i) => push(outer, w, outs[afterCarry.length + i]!));
  const base = stateOuts.length;
  for (const h of hoisted) push(outer, h.w, deferredMatMul(rows(ctx, outs[base + h.a]!), rows(ctx, outs[base + h.b]!), h.transposed));
  dxIndex.forEach((i, j) => { inputs[n + i] = outs[base + scanOuts.length - dxIndex.length + j]; });
  return { inputs, outer };
};

function checkAxes(node: NodeRecord): void {
  for (const attr of ['scan_input_axes', 'scan_output_axes']) {
    const axes = node.attrs[attr] as number[] | undefined;
    if (axes && axes.some((x) => x !== 0)) {
      throw TrainErrors.GRAPH_UNSUPPORTED(`Scan node ${node.name}: ${attr} other than 0 cannot be differentiated yet`, { pointer: node.name, expected: `${attr} all 0 (time-major)` });
    }
  }
}

/** Names the reverse body reads that the forward body computes (or receives, or holds as constants). */
function collectResiduals(B: GraphBuilder, body: GraphBuilder, bodyScope: Scope, bInputs: readonly string[], ...extra: readonly string[][]): string[] {
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
    if (constant) { B.constants.set(r, constant); continue; }
    if (forward.has(r)) residuals.push(r);
  }
  void bodyScope;
  return residuals;
}

/** How the reverse Scan receives residual `r`: an existing stacked output, the scan input itself, or a new output. */
function residualFeed(r: string, node: NodeRecord, body: GraphBuilder, bodyScope: Scope, n: number, inDirs: readonly number[], outDirs: readonly number[], outerScope: Scope): ScanInput {
  const info = bodyScope.get(r);
  const inputIndex = body.inputs.findIndex((v) => v.name === r);
  if (inputIndex >= n) {
    const i = inputIndex - n;
    return { feed: { name: node.inputs[inputIndex]! }, placeholder: r, info, direction: 1 - (inDirs[i] ?? 0) };
  }
  const outIndex = body.outputs.findIndex((v) => v.name === r);
  if (outIndex >= n) return { feed: { name: node.outputs[outIndex]! }, placeholder: r, info, direction: 1 - (outDirs[outIndex - n] ?? 0) };
  // A new stacked output of the forward Scan (a state input needs an Identity: a graph input is not an output).
  const value: Value = inputIndex >= 0 ? body.identity({ name: r }) : { name: r };
  const outName = body.fresh('residual');
  body.output(value, outName, dtypeOf(info));
  const stacked = body.fresh('residual_seq');
  (node.outputs as string[]).push(stacked);
  const attrs = node.attrs as Record<string, unknown>;
  if (attrs['scan_output_directions']) attrs['scan_output_directions'] = [...(attrs['scan_output_directions'] as number[]), 0];
  if (attrs['scan_output_axes']) attrs['scan_output_axes'] = [...(attrs['scan_output_axes'] as number[]), 0];
  outerScope.set(stacked, { dtype: dtypeOf(info), ...(info?.dims ? { dims: [null, ...info.dims] } : {}) });
  return { feed: { name: stacked }, placeholder: r, info, direction: 1 };
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

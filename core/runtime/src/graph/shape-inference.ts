/**
 * Static shape and element-type inference over graph-builder nodes. The autodiff needs element types
 * (constants in a gradient rule must match float32 or float64), ranks (transposes, axis normalisation)
 * and, where they are known, dimensions (to decide statically which broadcast axes to sum). What is not
 * known stays unknown (null dims, or no dims at all) and the rules fall back to Shape ops at run time.
 */
import { GraphBuilder, type NodeRecord } from './graph-builder.js';
import { onnxToDtype, type DType, type TensorData } from './tensor-data.js';
import { Scope, knownSize, type InfoDim, type ValueInfo } from './value-info.js';

/** Infers every node of `g` in order, recording output infos in `scope`; Scan bodies get child scopes. */
export function inferGraph(g: GraphBuilder, scope: Scope): void {
  for (const node of g.nodes) {
    const outs = inferNode(node, scope);
    node.outputs.forEach((name, i) => {
      const info = outs[i];
      if (name && info) scope.set(name, info);
    });
  }
}

/** A scope for a Scan (or other) body, with its inputs as declared and its nodes inferred. */
export function inferBody(body: GraphBuilder, parent: Scope): Scope {
  const s = Scope.of(body, parent, false);
  inferGraph(body, s);
  return s;
}

const SAME_AS_FIRST = new Set([
  'Identity',
  'Neg',
  'Exp',
  'Log',
  'Sqrt',
  'Sigmoid',
  'Tanh',
  'Relu',
  'Abs',
  'Sign',
  'Reciprocal',
  'Erf',
  'Softplus',
  'LeakyRelu',
  'HardSigmoid',
  'Softmax',
  'LogSoftmax',
  'Floor',
  'Ceil',
  'Round',
  'Clip',
  'Cos',
  'Sin',
  'Elu',
  'Selu',
  'ScatterElements',
  'ScatterND',
  'Dropout',
  'CumSum',
  'ReverseSequence',
]);
const BROADCAST_NUMERIC = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Mod', 'PRelu']);
const BROADCAST_BOOL = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor']);
const REDUCTIONS = new Set([
  'ReduceSum',
  'ReduceMean',
  'ReduceMax',
  'ReduceMin',
  'ReduceProd',
  'ReduceL2',
  'ReduceLogSumExp',
  'ReduceSumSquare',
]);

/** Output infos of one node (undefined entries where nothing is known). */
export function inferNode(node: NodeRecord, scope: Scope): (ValueInfo | undefined)[] {
  const ins = node.inputs.map((n) => (n ? scope.get(n) : undefined));
  const a = ins[0];
  const attrs = node.attrs;
  const op = node.opType;
  const one = (info: ValueInfo | undefined): (ValueInfo | undefined)[] => [info];

  if (SAME_AS_FIRST.has(op))
    return node.outputs.map((_, i) =>
      i === 0 ? a : op === 'Dropout' ? (a?.dims ? { dtype: 'bool', dims: a.dims } : undefined) : undefined,
    );
  if (op === 'Not') return one(a && { dtype: 'bool', ...(a.dims ? { dims: a.dims } : {}) });
  if (BROADCAST_NUMERIC.has(op)) return one(a && { dtype: a.dtype, ...dimsOpt(broadcastAll(ins)) });
  if (BROADCAST_BOOL.has(op)) return one({ dtype: 'bool', ...dimsOpt(broadcastAll(ins)) });
  if (op === 'Where') return one(ins[1] && { dtype: ins[1].dtype, ...dimsOpt(broadcastAll(ins)) });
  if (op === 'Cast')
    return one({ dtype: onnxToDtype(attrs['to'] as number) ?? 'float32', ...(a?.dims ? { dims: a.dims } : {}) });
  if (!a) return node.outputs.map(() => undefined);

  switch (op) {
    case 'MatMul':
      return one({ dtype: a.dtype, ...dimsOpt(matMulDims(a.dims, ins[1]?.dims)) });
    case 'Gemm': {
      const b = ins[1];
      if (!a.dims || !b?.dims) return one({ dtype: a.dtype, dims: [null, null] });
      const m = attrs['transA'] ? a.dims[1]! : a.dims[0]!;
      const n = attrs['transB'] ? b.dims[0]! : b.dims[1]!;
      return one({ dtype: a.dtype, dims: [m, n] });
    }
    case 'Transpose': {
      if (!a.dims) return one({ dtype: a.dtype });
      const perm = (attrs['perm'] as number[] | undefined) ?? a.dims.map((_, i) => a.dims!.length - 1 - i);
      return one({ dtype: a.dtype, dims: perm.map((p) => a.dims![p]!) });
    }
    case 'Reshape':
      return one({ dtype: a.dtype, ...dimsOpt(reshapeDims(a.dims, node.inputs[1], scope)) });
    case 'Flatten': {
      if (!a.dims) return one({ dtype: a.dtype, dims: [null, null] });
      const axis = normAxis((attrs['axis'] as number | undefined) ?? 1, a.dims.length);
      return one({ dtype: a.dtype, dims: [prodDims(a.dims.slice(0, axis)), prodDims(a.dims.slice(axis))] });
    }
    case 'Unsqueeze': {
      const axes = axesOf(node, scope);
      if (!a.dims || !axes) return one({ dtype: a.dtype });
      const rank = a.dims.length + axes.length;
      const norm = new Set(axes.map((x) => normAxis(x, rank)));
      const out: InfoDim[] = [];
      let k = 0;
      for (let i = 0; i < rank; i++) out.push(norm.has(i) ? 1 : a.dims[k++]!);
      return one({ dtype: a.dtype, dims: out });
    }
    case 'Squeeze': {
      if (!a.dims) return one({ dtype: a.dtype });
      const axes = axesOf(node, scope);
      if (!axes) {
        if (a.dims.every((d) => d !== null && typeof d === 'number'))
          return one({ dtype: a.dtype, dims: a.dims.filter((d) => d !== 1) });
        return one({ dtype: a.dtype });
      }
      const norm = new Set(axes.map((x) => normAxis(x, a.dims!.length)));
      return one({ dtype: a.dtype, dims: a.dims.filter((_, i) => !norm.has(i)) });
    }
    case 'Concat': {
      if (ins.some((x) => !x?.dims)) return one({ dtype: a.dtype });
      const rank = a.dims!.length;
      const axis = normAxis(attrs['axis'] as number, rank);
      const out = a.dims!.map((d, i) =>
        i === axis ? sumDims(ins.map((x) => x!.dims![axis]!)) : (commonDim(ins.map((x) => x!.dims![i]!)) ?? d),
      );
      return one({ dtype: a.dtype, dims: out });
    }
    case 'Split': {
      if (!a.dims) return node.outputs.map(() => ({ dtype: a.dtype }));
      const axis = normAxis((attrs['axis'] as number | undefined) ?? 0, a.dims.length);
      const sizes =
        (node.inputs[1] ? scope.ints(node.inputs[1]) : undefined) ?? (attrs['split'] as number[] | undefined);
      const whole = a.dims[axis]!;
      return node.outputs.map((_, i) => {
        const size: InfoDim = sizes ? sizes[i] : typeof whole === 'number' ? whole / node.outputs.length : null;
        return { dtype: a.dtype, dims: a.dims!.map((d, j) => (j === axis ? size : d)) };
      });
    }
    case 'Slice':
      return one({ dtype: a.dtype, ...dimsOpt(sliceDims(a.dims, node, scope)) });
    case 'Gather': {
      const idx = ins[1];
      if (!a.dims || !idx?.dims) return one({ dtype: a.dtype });
      const axis = normAxis((attrs['axis'] as number | undefined) ?? 0, a.dims.length);
      return one({ dtype: a.dtype, dims: [...a.dims.slice(0, axis), ...idx.dims, ...a.dims.slice(axis + 1)] });
    }
    case 'GatherElements':
      return one({ dtype: a.dtype, ...dimsOpt(ins[1]?.dims) });
    case 'Expand': {
      const shape = node.inputs[1] ? scope.ints(node.inputs[1]) : undefined;
      if (shape && a.dims) return one({ dtype: a.dtype, ...dimsOpt(broadcast(a.dims, shape)) });
      const len = ins[1]?.dims?.[0];
      if (a.dims && typeof len === 'number')
        return one({ dtype: a.dtype, dims: Array.from({ length: Math.max(len, a.dims.length) }, () => null) });
      return one({ dtype: a.dtype });
    }
    case 'Shape': {
      if (!a.dims) return one({ dtype: 'int64', dims: [null] });
      const r = a.dims.length;
      const s = clampIndex((attrs['start'] as number | undefined) ?? 0, r);
      const e = clampIndex((attrs['end'] as number | undefined) ?? r, r);
      return one({ dtype: 'int64', dims: [Math.max(0, e - s)] });
    }
    case 'Size':
      return one({ dtype: 'int64', dims: [] });
    case 'ConstantOfShape': {
      const value = attrs['value'] as TensorData | undefined;
      const dtype: DType = value?.dtype ?? 'float32';
      const shape = scope.ints(node.inputs[0]);
      if (shape) return one({ dtype, dims: shape });
      const len = a.dims?.[0];
      return one({ dtype, ...(typeof len === 'number' ? { dims: Array.from({ length: len }, () => null) } : {}) });
    }
    case 'Range':
      return one({ dtype: a.dtype, dims: [null] });
    case 'NonZero':
      return one({ dtype: 'int64', dims: [a.dims ? a.dims.length : null, null] });
    case 'ArgMax':
    case 'ArgMin': {
      if (!a.dims) return one({ dtype: 'int64' });
      const axis = normAxis((attrs['axis'] as number | undefined) ?? 0, a.dims.length);
      const keep = (attrs['keepdims'] as number | undefined) ?? 1;
      return one({
        dtype: 'int64',
        dims: keep ? a.dims.map((d, i) => (i === axis ? 1 : d)) : a.dims.filter((_, i) => i !== axis),
      });
    }
    case 'OneHot': {
      const values = ins[2];
      if (!a.dims) return one({ dtype: values?.dtype ?? 'float32' });
      const depth = scope.ints(node.inputs[1])?.[0] ?? null;
      const rank = a.dims.length + 1;
      const axis = normAxis((attrs['axis'] as number | undefined) ?? -1, rank);
      const out = [...a.dims];
      out.splice(axis, 0, depth);
      return one({ dtype: values?.dtype ?? 'float32', dims: out });
    }
    case 'SoftmaxCrossEntropyLoss': {
      const reduction = (attrs['reduction'] as string | undefined) ?? 'mean';
      const lossDims = reduction === 'none' ? ins[1]?.dims : [];
      return [
        { dtype: a.dtype, ...dimsOpt(lossDims) },
        { dtype: a.dtype, ...dimsOpt(a.dims) },
      ];
    }
    case 'Pad':
    case 'Tile':
      return one({ dtype: a.dtype, ...(a.dims ? { dims: a.dims.map(() => null) } : {}) });
    case 'Scan':
      return inferScan(node, scope);
    default:
      if (REDUCTIONS.has(op)) return one({ dtype: a.dtype, ...dimsOpt(reduceDims(a.dims, node, scope)) });
      return node.outputs.map((_, i) => (i === 0 ? { dtype: a.dtype } : undefined));
  }
}

function inferScan(node: NodeRecord, scope: Scope): (ValueInfo | undefined)[] {
  const body = node.attrs['body'] as GraphBuilder;
  const m = node.attrs['num_scan_inputs'] as number;
  const n = node.inputs.length - m;
  const bodyScope = inferBody(body, scope);
  const firstScan = scope.get(node.inputs[n]);
  const steps: InfoDim = firstScan?.dims?.[0] ?? null;
  return node.outputs.map((_, i) => {
    const out = body.outputs[i];
    const info = out ? (bodyScope.get(out.name) ?? (out.dtype ? { dtype: out.dtype } : undefined)) : undefined;
    if (i < n) return scope.get(node.inputs[i]) ?? info;
    if (!info) return undefined;
    return { dtype: info.dtype, ...(info.dims ? { dims: [steps, ...info.dims] } : {}) };
  });
}

export function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

function clampIndex(i: number, r: number): number {
  const v = i < 0 ? i + r : i;
  return Math.min(Math.max(v, 0), r);
}

function dimsOpt(dims: readonly InfoDim[] | undefined): { dims?: readonly InfoDim[] } {
  return dims ? { dims } : {};
}

/** The axes of Unsqueeze/Squeeze/Reduce*: the `axes` input (opset 13+) when constant, else the attribute. */
export function axesOf(node: NodeRecord, scope: Scope): number[] | undefined {
  const fromInput = node.inputs[1] ? scope.ints(node.inputs[1]) : undefined;
  return fromInput ?? (node.attrs['axes'] as number[] | undefined);
}

function broadcastDim(x: InfoDim, y: InfoDim): InfoDim {
  if (x === 1) return y;
  if (y === 1) return x;
  if (x === y) return x;
  if (x === null) return typeof y === 'number' || typeof y === 'string' ? y : null;
  if (y === null) return x;
  return typeof x === 'number' ? x : typeof y === 'number' ? y : x;
}

export function broadcast(a: readonly InfoDim[], b: readonly InfoDim[]): InfoDim[] {
  const r = Math.max(a.length, b.length);
  const out: InfoDim[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    out.push(broadcastDim(x, y));
  }
  return out;
}

function broadcastAll(ins: readonly (ValueInfo | undefined)[]): InfoDim[] | undefined {
  let out: InfoDim[] = [];
  for (const x of ins) {
    if (!x?.dims) return undefined;
    out = broadcast(out, x.dims);
  }
  return out;
}

function matMulDims(a: readonly InfoDim[] | undefined, b: readonly InfoDim[] | undefined): InfoDim[] | undefined {
  if (!a || !b) return undefined;
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  const batch = broadcast(a2.slice(0, -2), b2.slice(0, -2));
  const out: InfoDim[] = [...batch, a2[a2.length - 2]!, b2[b2.length - 1]!];
  if (a.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.pop();
  return out;
}

function prodDims(dims: readonly InfoDim[]): InfoDim {
  const n = knownSize(dims);
  return n === undefined ? null : n;
}

function sumDims(dims: readonly InfoDim[]): InfoDim {
  let s = 0;
  for (const d of dims) {
    if (typeof d !== 'number') return null;
    s += d;
  }
  return s;
}

function commonDim(dims: readonly InfoDim[]): InfoDim | undefined {
  return dims.find((d) => d !== null);
}

function reshapeDims(
  input: readonly InfoDim[] | undefined,
  shapeName: string | undefined,
  scope: Scope,
): InfoDim[] | undefined {
  if (!shapeName) return undefined;
  const shape = scope.ints(shapeName);
  if (!shape) {
    const len = scope.get(shapeName)?.dims?.[0];
    return typeof len === 'number' ? Array.from({ length: len }, () => null) : undefined;
  }
  const out: InfoDim[] = shape.map((d, i) => (d === 0 ? (input?.[i] ?? null) : d === -1 ? null : d));
  const inferIdx = shape.indexOf(-1);
  if (inferIdx >= 0) {
    const total = knownSize(input);
    const rest = knownSize(out.filter((_, i) => i !== inferIdx));
    if (total !== undefined && rest !== undefined && rest > 0) out[inferIdx] = total / rest;
    else if (input && out.every((d, i) => i === inferIdx || d !== null)) {
      // [T, B, H] -> [-1, H] keeps a symbolic product unknown; [T, B, H] -> [T, B, -1] keeps H.
      const known = input.filter((d) => !out.includes(d));
      if (known.length === 1) out[inferIdx] = known[0]!;
    }
  }
  return out;
}

function sliceDims(input: readonly InfoDim[] | undefined, node: NodeRecord, scope: Scope): InfoDim[] | undefined {
  if (!input) return undefined;
  const [, s, e, ax, st] = node.inputs;
  const starts = s ? scope.ints(s) : undefined;
  const ends = e ? scope.ints(e) : undefined;
  const axes = ax ? scope.ints(ax) : starts?.map((_, i) => i);
  const steps = st ? scope.ints(st) : starts?.map(() => 1);
  if (!starts || !ends || !axes || !steps) {
    if (!axes) return input.map(() => null);
    const touched = new Set(axes.map((x) => normAxis(x, input.length)));
    return input.map((d, i) => (touched.has(i) ? null : d));
  }
  const out = [...input];
  axes.forEach((axRaw, k) => {
    const axis = normAxis(axRaw, input.length);
    const dim = input[axis];
    if (typeof dim !== 'number') {
      out[axis] = null;
      return;
    }
    const step = steps[k];
    const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + dim : v, lo), hi);
    if (step > 0) {
      const b = clamp(starts[k], 0, dim);
      const en = clamp(ends[k], 0, dim);
      out[axis] = Math.max(0, Math.ceil((en - b) / step));
    } else {
      const b = clamp(starts[k], -1, dim - 1);
      const en = clamp(ends[k], -1, dim - 1);
      out[axis] = Math.max(0, Math.ceil((en - b) / step));
    }
  });
  return out;
}

function reduceDims(input: readonly InfoDim[] | undefined, node: NodeRecord, scope: Scope): InfoDim[] | undefined {
  if (!input) return undefined;
  const keep = ((node.attrs['keepdims'] as number | undefined) ?? 1) !== 0;
  const axesRaw = axesOf(node, scope);
  const noop = (node.attrs['noop_with_empty_axes'] as number | undefined) ?? 0;
  if (node.inputs[1] && !axesRaw) return keep ? input.map(() => null) : undefined;
  if (!axesRaw || axesRaw.length === 0) {
    if (noop) return [...input];
    return keep ? input.map(() => 1) : [];
  }
  const axes = new Set(axesRaw.map((x) => normAxis(x, input.length)));
  return keep ? input.map((d, i) => (axes.has(i) ? 1 : d)) : input.filter((_, i) => !axes.has(i));
}

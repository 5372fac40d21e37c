import {
  encodeModel,
  externalTensorToProto,
  tensorToProto,
  type ExternalTensor,
  type OnnxAttribute,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxValueInfo,
} from './onnx-proto.js';
import { dtypeToOnnx, tensor, type DType, type TensorData } from './tensor-data.js';
import { widenFloat16 } from './widen-float16.js';
import { dequantizeInt8, type Int8Initializer } from './dequantize-int8.js';
import { MICROSOFT_DOMAIN, namesRead, quantizedLstm, type Int8Param } from './quantized-lstm.js';
import { E } from '../errors/runtime-errors.js';

/** A dimension: a fixed size or a symbolic name (`batch`, `time`). */
export type Dim = number | string;

/** A symbolic tensor in a graph under construction. Shape and dtype are known at graph edges only. */
export interface Value {
  readonly name: string;
  readonly dtype?: DType;
  readonly dims?: readonly Dim[];
}

/** Marks an integral number that must be stored as a FLOAT attribute (`alpha: float(1)`). */
export class FloatAttr {
  constructor(readonly value: number) {}
}
/** Marks a number list that must be stored as FLOATS. */
export class FloatsAttr {
  constructor(readonly values: readonly number[]) {}
}
export const float = (v: number): FloatAttr => new FloatAttr(v);
export const floats = (v: readonly number[]): FloatsAttr => new FloatsAttr(v);

export type AttrValue =
  number | string | readonly number[] | readonly string[] | FloatAttr | FloatsAttr | TensorData | GraphBuilder;

/** One recorded node; the trainer's autodiff reads these. */
export interface NodeRecord {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Readonly<Record<string, AttrValue>>;
  readonly domain: string;
  readonly name: string;
}

/** How a parameter is initialised before training (inference reads it from the weights file). */
export type Initializer =
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' }
  | { readonly kind: 'constant'; readonly value: number }
  /** Symmetric: U(-bound, bound). */
  | { readonly kind: 'uniform'; readonly bound: number }
  /** Any interval: U(low, high), for example IndRNN's recurrent weights U(0, 1). */
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'normal'; readonly std: number }
  /** Glorot/Xavier uniform over the last two dimensions. */
  | { readonly kind: 'xavier' };

/** A trainable parameter declared by a part, named by its owner (`encoder.layers.0.forward.W`). */
export interface ParamDecl {
  readonly name: string;
  readonly dims: readonly number[];
  readonly init: Initializer;
}

interface SharedState {
  counter: number;
  readonly params: Map<string, ParamDecl>;
  /** ONNX files a user supplied whose nodes were linked into this graph (see `noteLinkedModel`). */
  readonly linkedModels: Set<string>;
}

export interface ModelOptions {
  /**
   * Where parameter values come from; a missing one throws. Omit to turn parameters into graph inputs
   * (training). A float16 tensor for a float32 parameter is stored as a float16 initializer widened by
   * a `Cast` node (see widenFloat16): the model bytes stay half the size, no float32 copy is made in
   * JavaScript, and an embedding table stays float16 in ONNX Runtime too. An int8 parameter with its
   * per-row scales is dequantised inside the graph the same way (see dequantizeInt8).
   */
  readonly weights?: (decl: ParamDecl) => TensorData | ExternalTensor | Int8Initializer;
  /**
   * Whether LSTMs whose weights are int8 run on ONNX Runtime's integer kernels (`DynamicQuantizeLSTM`,
   * see quantizedLstm) rather than on float32 copies of the weights. Off for graphs another runtime
   * must read (the operator is ONNX Runtime's own).
   * @defaultValue true
   */
  readonly int8Kernels?: boolean;
  readonly producerVersion?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

export const DEFAULT_OPSET = 17;

/** A uniform initialiser must be U(-bound, bound) with bound >= 0, or U(low, high) with low <= high, all finite. */
function checkInitializer(name: string, init: Initializer): void {
  if (init.kind !== 'uniform') return;
  const ok =
    'bound' in init
      ? Number.isFinite(init.bound) && init.bound >= 0
      : Number.isFinite(init.low) && Number.isFinite(init.high) && init.low <= init.high;
  if (!ok) {
    throw E.PLUGIN_CONTRACT(`parameter ${name}: the uniform initialiser ${JSON.stringify(init)} is not an interval`, {
      parameter: name,
      expected: '{ kind: "uniform", bound } with bound >= 0, or { kind: "uniform", low, high } with low <= high',
      got: JSON.stringify(init),
    });
  }
}

/**
 * Builds an ONNX graph in TypeScript. Parts receive a builder scoped to their name, declare their
 * parameters with `param()` and add ops with the typed helpers (or `op()` for any other operator).
 * A `subgraph()` builds a body for `Scan`/`Loop`/`If`; it may use values of the enclosing graph.
 */
export class GraphBuilder {
  readonly nodes: NodeRecord[];
  readonly inputs: Value[];
  readonly outputs: Value[];
  readonly constants: Map<string, TensorData>;
  private readonly shared: SharedState;

  constructor(
    readonly graphName = 'recur',
    readonly prefix = '',
    readonly opset = DEFAULT_OPSET,
    shared?: SharedState,
    owner?: GraphBuilder,
  ) {
    this.shared = shared ?? { counter: 0, params: new Map(), linkedModels: new Set() };
    this.nodes = owner ? owner.nodes : [];
    this.inputs = owner ? owner.inputs : [];
    this.outputs = owner ? owner.outputs : [];
    this.constants = owner ? owner.constants : new Map<string, TensorData>();
  }

  /** The same graph, with `name` appended to the prefix of parameter and value names. */
  scope(name: string): GraphBuilder {
    return new GraphBuilder(this.graphName, this.qualify(name), this.opset, this.shared, this);
  }

  /** A separate graph (for a Scan or If body) that shares parameter declarations and naming. */
  subgraph(name: string): GraphBuilder {
    return new GraphBuilder(`${this.graphName}_${name}`, this.qualify(name), this.opset, this.shared);
  }

  /**
   * Records that nodes of a user's ONNX file were linked into this graph: when ONNX Runtime then
   * refuses the unit, the fault is the file's (RECUR_E_ONNX_REJECTED), not Recur's.
   */
  noteLinkedModel(file: string): void {
    this.shared.linkedModels.add(file);
  }

  /** The user ONNX files linked into this graph, in the order they were linked. */
  get linkedModels(): readonly string[] {
    return [...this.shared.linkedModels];
  }

  /** Every parameter declared so far, in declaration order. */
  get params(): ParamDecl[] {
    return [...this.shared.params.values()];
  }

  qualify(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  /** A fresh value name under this scope. */
  fresh(hint: string): string {
    this.shared.counter += 1;
    return `${this.prefix ? this.prefix + '/' : ''}${hint}_${this.shared.counter}`;
  }

  input(name: string, dtype: DType, dims: readonly Dim[]): Value {
    const v = { name, dtype, dims };
    this.inputs.push(v);
    return v;
  }

  /** Marks `value` as a graph output called `name` (an Identity is added when the names differ). */
  output(value: Value, name: string, dtype: DType, dims?: readonly Dim[]): Value {
    let v = value;
    if (value.name !== name) {
      this.nodes.push({
        opType: 'Identity',
        inputs: [value.name],
        outputs: [name],
        attrs: {},
        domain: '',
        name: this.fresh('Identity'),
      });
      v = { name };
    }
    const out = { name: v.name, dtype, ...(dims ? { dims } : {}) };
    this.outputs.push(out);
    return out;
  }

  /**
   * Declares a parameter owned by this scope. Declaring the same name twice with the same shape
   * returns the same value (weights shared between steps); another shape is a programming error.
   */
  param(name: string, dims: readonly number[], init: Initializer = { kind: 'xavier' }): Value {
    const full = this.qualify(name);
    const existing = this.shared.params.get(full);
    if (existing) {
      if (existing.dims.join() !== dims.join())
        throw new Error(`parameter ${full} declared as [${existing.dims}] and [${dims}]`);
    } else {
      checkInitializer(full, init);
      this.shared.params.set(full, { name: full, dims: [...dims], init });
    }
    return { name: full, dtype: 'float32', dims };
  }

  /** Adds a node and returns its outputs. `null` inputs are ONNX's omitted optional inputs. */
  op(
    opType: string,
    inputs: readonly (Value | null | undefined)[],
    attrs: Record<string, AttrValue | undefined> = {},
    outputs = 1,
    domain = '',
  ): Value[] {
    const outNames = Array.from({ length: outputs }, () => this.fresh(opType));
    const clean: Record<string, AttrValue> = {};
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined) clean[k] = v;
    // ONNX allows omitting only trailing optional inputs by leaving them out, inner ones by ''.
    const names = inputs.map((v) => (v ? v.name : ''));
    while (names.length > 0 && names[names.length - 1] === '') names.pop();
    this.nodes.push({
      opType,
      inputs: names,
      outputs: outNames,
      attrs: clean,
      domain,
      name: outNames[0] ?? this.fresh(opType),
    });
    return outNames.map((name) => ({ name }));
  }

  /** Adds a single-output node. */
  op1(
    opType: string,
    inputs: readonly (Value | null | undefined)[],
    attrs: Record<string, AttrValue | undefined> = {},
  ): Value {
    return this.op(opType, inputs, attrs, 1)[0];
  }

  /** A constant tensor, stored once per graph. */
  constant(data: TensorData, hint = 'const'): Value {
    const name = this.fresh(hint);
    this.constants.set(name, data);
    return { name, dtype: data.dtype, dims: data.dims };
  }

  scalar(value: number, dtype: DType = 'float32'): Value {
    return this.constant(makeTensor(dtype, [], [value]), 'scalar');
  }

  ints(values: readonly number[], dtype: 'int64' | 'int32' = 'int64'): Value {
    return this.constant(makeTensor(dtype, [values.length], values), 'ints');
  }

  // ---- elementwise -------------------------------------------------------------------------
  add(a: Value, b: Value): Value {
    return this.op1('Add', [a, b]);
  }
  sub(a: Value, b: Value): Value {
    return this.op1('Sub', [a, b]);
  }
  mul(a: Value, b: Value): Value {
    return this.op1('Mul', [a, b]);
  }
  div(a: Value, b: Value): Value {
    return this.op1('Div', [a, b]);
  }
  neg(a: Value): Value {
    return this.op1('Neg', [a]);
  }
  exp(a: Value): Value {
    return this.op1('Exp', [a]);
  }
  log(a: Value): Value {
    return this.op1('Log', [a]);
  }
  sqrt(a: Value): Value {
    return this.op1('Sqrt', [a]);
  }
  sigmoid(a: Value): Value {
    return this.op1('Sigmoid', [a]);
  }
  tanh(a: Value): Value {
    return this.op1('Tanh', [a]);
  }
  relu(a: Value): Value {
    return this.op1('Relu', [a]);
  }
  where(cond: Value, a: Value, b: Value): Value {
    return this.op1('Where', [cond, a, b]);
  }
  cast(a: Value, to: DType): Value {
    return this.op1('Cast', [a], { to: dtypeToOnnx(to) });
  }
  identity(a: Value): Value {
    return this.op1('Identity', [a]);
  }
  less(a: Value, b: Value): Value {
    return this.op1('Less', [a, b]);
  }
  greater(a: Value, b: Value): Value {
    return this.op1('Greater', [a, b]);
  }
  equal(a: Value, b: Value): Value {
    return this.op1('Equal', [a, b]);
  }
  not(a: Value): Value {
    return this.op1('Not', [a]);
  }

  // ---- linear algebra ----------------------------------------------------------------------
  matMul(a: Value, b: Value): Value {
    return this.op1('MatMul', [a, b]);
  }
  gemm(
    a: Value,
    b: Value,
    c?: Value,
    opts: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number } = {},
  ): Value {
    return this.op1('Gemm', [a, b, c], {
      transA: opts.transA ? 1 : undefined,
      transB: opts.transB ? 1 : undefined,
      alpha: opts.alpha === undefined ? undefined : float(opts.alpha),
      beta: opts.beta === undefined ? undefined : float(opts.beta),
    });
  }

  // ---- shape -------------------------------------------------------------------------------
  shape(a: Value, start?: number, end?: number): Value {
    return this.op1('Shape', [a], { start, end });
  }
  reshape(a: Value, shape: Value | readonly number[]): Value {
    return this.op1('Reshape', [a, Array.isArray(shape) ? this.ints(shape as number[]) : (shape as Value)]);
  }
  transpose(a: Value, perm: readonly number[]): Value {
    return this.op1('Transpose', [a], { perm });
  }
  unsqueeze(a: Value, axes: readonly number[]): Value {
    return this.op1('Unsqueeze', [a, this.ints(axes)]);
  }
  squeeze(a: Value, axes: readonly number[]): Value {
    return this.op1('Squeeze', [a, this.ints(axes)]);
  }
  concat(values: readonly Value[], axis: number): Value {
    return this.op1('Concat', values, { axis });
  }
  split(a: Value, sizes: readonly number[], axis: number): Value[] {
    return this.op('Split', [a, this.ints(sizes)], { axis }, sizes.length);
  }
  slice(
    a: Value,
    starts: readonly number[],
    ends: readonly number[],
    axes: readonly number[],
    steps?: readonly number[],
  ): Value {
    return this.op1('Slice', [
      a,
      this.ints(starts),
      this.ints(ends),
      this.ints(axes),
      steps ? this.ints(steps) : undefined,
    ]);
  }
  gather(data: Value, indices: Value, axis = 0): Value {
    return this.op1('Gather', [data, indices], { axis });
  }
  expand(a: Value, shape: Value): Value {
    return this.op1('Expand', [a, shape]);
  }

  // ---- reductions and normalisers (opset 17: axes as attributes for ReduceMax/Mean) ------------
  reduceMax(a: Value, axes: readonly number[], keepdims = false): Value {
    return this.op1('ReduceMax', [a], { axes, keepdims: keepdims ? 1 : 0 });
  }
  reduceMean(a: Value, axes: readonly number[], keepdims = false): Value {
    return this.op1('ReduceMean', [a], { axes, keepdims: keepdims ? 1 : 0 });
  }
  reduceSum(a: Value, axes: readonly number[], keepdims = false): Value {
    return this.op1('ReduceSum', [a, this.ints(axes)], { keepdims: keepdims ? 1 : 0 });
  }
  softmax(a: Value, axis = -1): Value {
    return this.op1('Softmax', [a], { axis });
  }
  logSoftmax(a: Value, axis = -1): Value {
    return this.op1('LogSoftmax', [a], { axis });
  }

  /** Serialises this graph (not a model); used for subgraph attributes. */
  toGraphProto(options: ModelOptions = {}, isRoot = false): OnnxGraph {
    let node: OnnxNode[] = this.nodes.map((n) => ({
      input: [...n.inputs],
      output: [...n.outputs],
      name: n.name,
      opType: n.opType,
      domain: n.domain,
      attribute: Object.entries(n.attrs).map(([name, v]) => encodeAttr(name, v, options)),
    }));
    let initializer = [...this.constants].map(([name, t]) => tensorToProto(name, t));
    const input = this.inputs.map(valueInfo);
    if (isRoot) {
      const int8 = new Map<string, Int8Param>();
      for (const decl of this.params) {
        if (!options.weights) {
          input.push(valueInfo({ name: decl.name, dtype: 'float32', dims: decl.dims }));
          continue;
        }
        const value = options.weights(decl);
        const proto = (name: string, t: TensorData | ExternalTensor) =>
          'external' in t ? externalTensorToProto(name, t) : tensorToProto(name, t);
        if ('values' in value) {
          const [q, scale] = [`${decl.name}::int8`, `${decl.name}::scale`];
          initializer.push(proto(q, value.values), proto(scale, value.scale));
          node = dequantizeInt8(node, decl.name, q, scale);
          int8.set(decl.name, { values: q, scale, dims: decl.dims });
        } else if (value.dtype === 'float16') {
          const half = `${decl.name}::float16`;
          initializer.push(proto(half, value));
          node = widenFloat16(node, decl.name, half);
        } else {
          initializer.push(proto(decl.name, value));
        }
      }
      if (int8.size > 0 && options.int8Kernels !== false) {
        const rewritten = quantizedLstm(
          node,
          int8,
          this.constants,
          this.outputs.map((o) => o.name),
        );
        if (rewritten.rewritten > 0) {
          node = rewritten.nodes;
          const read = namesRead(
            node,
            this.outputs.map((o) => o.name),
          );
          initializer = [...initializer, ...rewritten.initializers].filter((t) => read.has(t.name ?? ''));
        }
      }
    }
    return { name: this.graphName, node, initializer, input, output: this.outputs.map(valueInfo) };
  }

  toModel(options: ModelOptions = {}): OnnxModel {
    const graph = this.toGraphProto(options, true);
    return {
      irVersion: 8,
      opsetImport: [{ domain: '', version: this.opset }, ...contribImport(graph)],
      producerName: 'recur',
      producerVersion: options.producerVersion ?? '0.1.0',
      graph,
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    };
  }

  /** The ONNX model as bytes, ready for `InferenceSession.create` or a `.onnx` file. */
  toBytes(options: ModelOptions = {}): Uint8Array {
    return encodeModel(this.toModel(options));
  }
}

function makeTensor(dtype: DType, dims: readonly number[], values: readonly number[]): TensorData {
  switch (dtype) {
    case 'int64':
      return tensor(dtype, dims, BigInt64Array.from(values.map((v) => BigInt(v))));
    case 'int32':
      return tensor(dtype, dims, Int32Array.from(values));
    case 'float64':
      return tensor(dtype, dims, Float64Array.from(values));
    case 'bool':
    case 'uint8':
      return tensor(dtype, dims, Uint8Array.from(values));
    default:
      return tensor('float32', dims, Float32Array.from(values));
  }
}

function valueInfo(v: Value): OnnxValueInfo {
  if (!v.dtype) return { name: v.name };
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: dtypeToOnnx(v.dtype),
        ...(v.dims
          ? { shape: { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } }
          : {}),
      },
    },
  };
}

const enc = new TextEncoder();
function encodeAttr(name: string, v: AttrValue, options: ModelOptions): OnnxAttribute {
  if (v instanceof FloatAttr) return { name, type: 1, f: v.value };
  if (v instanceof FloatsAttr) return { name, type: 6, floats: [...v.values] };
  if (v instanceof GraphBuilder) return { name, type: 5, g: v.toGraphProto(options) };
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: 2, i: v } : { name, type: 1, f: v };
  if (typeof v === 'string') return { name, type: 3, s: enc.encode(v) };
  if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === 'string')
      return { name, type: 8, strings: (v as string[]).map((s) => enc.encode(s)) };
    const nums = v as number[];
    return nums.every(Number.isInteger) ? { name, type: 7, ints: [...nums] } : { name, type: 6, floats: [...nums] };
  }
  return { name, type: 4, t: tensorToProto(name, v as TensorData) };
}

/** ONNX Runtime's contrib domain, imported when a node uses it (DynamicQuantizeLSTM). */
function contribImport(graph: OnnxGraph): { domain: string; version: number }[] {
  const uses = (g: OnnxGraph): boolean =>
    g.node.some(
      (n) => n.domain === MICROSOFT_DOMAIN || (n.attribute ?? []).some((a) => a.g !== undefined && uses(a.g)),
    );
  return uses(graph) ? [{ domain: MICROSOFT_DOMAIN, version: 1 }] : [];
}

import protobuf from 'protobufjs';
import { onnxSchemaJson } from './onnx-schema.js';
import { E } from '../errors/runtime-errors.js';
import type { DType, TensorData } from './tensor-data.js';
import { dtypeToOnnx, onnxToDtype, typedArrayFor } from './tensor-data.js';

const root = protobuf.Root.fromJSON(onnxSchemaJson as unknown as protobuf.INamespace);
export const ModelProto = root.lookupType('onnx.ModelProto');
export const TensorProto = root.lookupType('onnx.TensorProto');
export const GraphProto = root.lookupType('onnx.GraphProto');

/** Plain-object shapes of the messages Recur builds (protobufjs camelCase field names). */
export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  g?: OnnxGraph;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}
export interface OnnxNode {
  input: string[];
  output: string[];
  name?: string;
  opType: string;
  domain?: string;
  attribute?: OnnxAttribute[];
}
export interface OnnxDim {
  dimValue?: number;
  dimParam?: string;
}
export interface OnnxValueInfo {
  name: string;
  type?: { tensorType?: { elemType: number; shape?: { dim: OnnxDim[] } } };
}
export interface OnnxTensor {
  name?: string;
  dims: number[];
  dataType: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  doubleData?: number[];
  uint64Data?: number[];
  /** Where the bytes are when `dataLocation` is 1 (EXTERNAL): `location`, `offset`, `length`. */
  externalData?: { key: string; value: string }[];
  dataLocation?: number;
}
export interface OnnxGraph {
  name: string;
  node: OnnxNode[];
  initializer: OnnxTensor[];
  input: OnnxValueInfo[];
  output: OnnxValueInfo[];
  valueInfo?: OnnxValueInfo[];
}
export interface OnnxModel {
  irVersion: number;
  opsetImport: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  graph: OnnxGraph;
  metadataProps?: { key: string; value: string }[];
}

export function encodeModel(model: OnnxModel): Uint8Array {
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

export function decodeModel(bytes: Uint8Array, where = 'model'): OnnxModel {
  if (bytes.byteLength === 0)
    throw E.ONNX_INVALID(`${where} is empty; an ONNX model file holds a ModelProto`, {
      file: where,
      expected: 'an .onnx file (e.g. from torch.onnx.export)',
    });
  let model: OnnxModel;
  try {
    const msg = ModelProto.decode(bytes);
    model = ModelProto.toObject(msg, {
      longs: Number,
      bytes: Uint8Array as unknown as typeof Array,
      defaults: true,
      arrays: true,
    }) as OnnxModel;
  } catch (err) {
    throw E.ONNX_INVALID(`${where} is not an ONNX model: ${(err as Error).message}`, { file: where }, { cause: err });
  }
  // Protobuf decodes nearly any bytes into some message: a model without a graph is not a model.
  if (!model.graph)
    throw E.ONNX_INVALID(`${where} is not an ONNX model: it has no graph`, {
      file: where,
      expected: 'a ModelProto with a graph',
    });
  return model;
}

/**
 * Encodes Recur tensor data as an ONNX TensorProto (raw little-endian bytes). The proto shares the
 * tensor's bytes rather than copying them (encoding copies them once, into the model): a copy here
 * would put a second transient copy of every weight on the heap while a model is built.
 */
export function tensorToProto(name: string, t: TensorData): OnnxTensor {
  const view = t.data;
  return {
    name,
    dims: [...t.dims],
    dataType: dtypeToOnnx(t.dtype),
    rawData: new Uint8Array(view.buffer, view.byteOffset, view.byteLength),
  };
}

/** A tensor whose bytes stay in a file (ONNX external data), `file` relative to the model's folder. */
export interface ExternalTensor {
  readonly dtype: DType;
  readonly dims: readonly number[];
  readonly external: { readonly file: string; readonly offset: number; readonly length: number };
}

/** Encodes a TensorProto that points into a file instead of holding its bytes. */
export function externalTensorToProto(name: string, t: ExternalTensor): OnnxTensor {
  return {
    name,
    dims: [...t.dims],
    dataType: dtypeToOnnx(t.dtype),
    dataLocation: DATA_LOCATION_EXTERNAL,
    externalData: [
      { key: 'location', value: t.external.file },
      { key: 'offset', value: String(t.external.offset) },
      { key: 'length', value: String(t.external.length) },
    ],
  };
}

/** TensorProto.DataLocation.EXTERNAL */
export const DATA_LOCATION_EXTERNAL = 1;

/** Decodes a TensorProto (a `.pb` file of the ONNX node tests, or an initializer). */
export function decodeTensor(bytes: Uint8Array, where = 'tensor'): TensorData & { name: string } {
  let obj: OnnxTensor;
  try {
    obj = TensorProto.toObject(TensorProto.decode(bytes), {
      longs: Number,
      bytes: Uint8Array as unknown as typeof Array,
      defaults: true,
      arrays: true,
    }) as OnnxTensor;
  } catch (err) {
    throw E.ONNX_INVALID(
      `${where} is not an ONNX TensorProto: ${(err as Error).message}`,
      { file: where },
      { cause: err },
    );
  }
  return { name: obj.name ?? '', ...protoToTensor(obj, where) };
}

export function protoToTensor(obj: OnnxTensor, where = 'tensor'): TensorData {
  const dtype: DType | undefined = onnxToDtype(obj.dataType);
  if (dtype === undefined)
    throw E.ONNX_INVALID(`${where}: unsupported ONNX data type ${obj.dataType}`, { file: where });
  const dims = obj.dims.map(Number);
  const size = dims.reduce((a, b) => a * b, 1);
  const Ctor = typedArrayFor(dtype);
  let data;
  if (obj.rawData && obj.rawData.byteLength > 0) {
    const copy = obj.rawData.slice();
    data = new Ctor(copy.buffer, copy.byteOffset, copy.byteLength / Ctor.BYTES_PER_ELEMENT);
  } else if (dtype === 'float32') data = Float32Array.from(obj.floatData ?? []);
  else if (dtype === 'float64') data = Float64Array.from(obj.doubleData ?? []);
  else if (dtype === 'int64') data = BigInt64Array.from((obj.int64Data ?? []).map((v) => BigInt(v)));
  else if (dtype === 'int32') data = Int32Array.from(obj.int32Data ?? []);
  else if (dtype === 'bool' || dtype === 'uint8' || dtype === 'int8') data = new Ctor((obj.int32Data ?? []) as never);
  else throw E.ONNX_INVALID(`${where}: ${dtype} tensor without raw data is not supported`, { file: where });
  if (data.length !== size)
    throw E.ONNX_INVALID(`${where}: ${data.length} values for shape [${dims.join(', ')}]`, { file: where });
  return { dtype, dims, data };
}

import { dirname, isAbsolute, join, normalize } from 'node:path';
import { E } from '../errors/runtime-errors.js';
import type { ComputeUnit } from '../plugins/task-contract.js';
import { readFileRange } from '../safetensors/file-range.js';
import { DATA_LOCATION_EXTERNAL, ModelProto, type OnnxGraph, type OnnxTensor } from './onnx-proto.js';

/**
 * The unit's model with every initializer's bytes inside it: external data (initializers that point
 * into the pipeline's weights file) is read and inlined. What `recur export` writes, so that the file
 * opens in Netron or another runtime without the weights file beside it.
 */
export function selfContainedModel(unit: ComputeUnit): Promise<Uint8Array> {
  // The executor turns a coded error of the reading into a rejection.
  return new Promise((resolve) => {
    resolve(inlinedModel(unit));
  });
}

function inlinedModel(unit: ComputeUnit): Uint8Array {
  if (!unit.externalData) return unit.model;
  // The decoded message, not a plain-object copy: it re-encodes exactly the fields that were set.
  let model: { graph: OnnxGraph };
  try {
    model = ModelProto.decode(unit.model) as unknown as { graph: OnnxGraph };
  } catch (err) {
    throw E.ONNX_INVALID(
      `unit ${unit.name} is not an ONNX model: ${(err as Error).message}`,
      { file: unit.name },
      { cause: err },
    );
  }
  inlineGraph(model.graph, dirname(unit.externalData.path), unit.name);
  return ModelProto.encode(model).finish();
}

function inlineGraph(graph: OnnxGraph, dir: string, where: string): void {
  for (const tensor of graph.initializer) {
    if (tensor.dataLocation === DATA_LOCATION_EXTERNAL) inlineTensor(tensor, dir, where);
  }
  for (const node of graph.node) {
    for (const attr of node.attribute ?? []) if (attr.g) inlineGraph(attr.g, dir, where);
  }
}

function inlineTensor(tensor: OnnxTensor, dir: string, where: string): void {
  const entry = (key: string) => tensor.externalData?.find((e) => e.key === key)?.value;
  const location = entry('location') ?? '';
  const offset = Number(entry('offset') ?? 0);
  const length = Number(entry('length'));
  if (
    location === '' ||
    isAbsolute(location) ||
    normalize(location).startsWith('..') ||
    !Number.isSafeInteger(offset) ||
    !Number.isSafeInteger(length)
  ) {
    throw E.ONNX_INVALID(
      `unit ${where}: initializer ${tensor.name ?? '?'} has unusable external data (location ${JSON.stringify(location)}, offset ${offset}, length ${length})`,
      { file: where },
    );
  }
  const path = join(dir, location);
  let bytes: Uint8Array;
  try {
    bytes = readFileRange(path, offset, length);
  } catch (err) {
    throw E.IO(
      `cannot read the weights of initializer ${tensor.name ?? '?'} of unit ${where} from ${path}: ${(err as Error).message}`,
      { file: path },
      { cause: err },
    );
  }
  tensor.rawData = bytes;
  delete tensor.dataLocation;
  tensor.externalData = [];
}

import { RuntimeErrors, type FileHost, type OnnxGraph, type OnnxModel, type OnnxTensor } from '@recur/runtime';

/** ONNX TensorProto.DataLocation EXTERNAL: the bytes are in another file. */
const EXTERNAL = 1;

/**
 * Loads the external data of a model's tensors (initializers and tensor attributes, in subgraphs
 * too) into the tensors themselves, so the model can be linked into a Recur unit like any other.
 * A location resolves against the model's folder, symbolic links followed, and must stay inside
 * `roots` (the spec's folder tree and the model's own folder tree), as every file a spec names must:
 * anything else is RECUR_E_PATH_OUTSIDE_ROOT. A missing file or a range past its end is
 * RECUR_E_ONNX_INVALID naming the tensor and the file. Everything is resolved, located and read
 * through `host`, the pipeline's file host.
 */
export async function loadExternalData(
  model: OnnxModel,
  modelFile: string,
  roots: readonly string[],
  pointer: string,
  host: FileHost,
): Promise<void> {
  const tensors: OnnxTensor[] = [];
  collectTensors(model.graph, tensors);
  for (const t of tensors) {
    if (t.dataLocation !== EXTERNAL) continue;
    const entry = (key: string) => t.externalData?.find((e) => e.key === key)?.value;
    const location = entry('location');
    const where = `${modelFile}: tensor "${t.name ?? ''}"`;
    if (!location)
      throw RuntimeErrors.ONNX_INVALID(`${where} is stored as external data without a location`, {
        file: modelFile,
        pointer,
      });
    const { location: real } = await host.locate(host.resolve(host.dirname(modelFile), location));
    if (!roots.some((root) => host.contains(root, real))) {
      throw RuntimeErrors.PATH_OUTSIDE_ROOT(
        `${where} keeps its data in "${location}" (${real}), outside the spec's folder ${roots[0]}; move the data file next to the model`,
        {
          file: modelFile,
          pointer,
          path: real,
          expected: `a path inside ${roots.join(' or ')}`,
        },
      );
    }
    const offset = Number(entry('offset') ?? 0);
    const declared = entry('length');
    t.rawData = await readRange(host, real, offset, declared === undefined ? undefined : Number(declared), where);
    t.dataLocation = 0;
    t.externalData = [];
  }
}

async function readRange(
  host: FileHost,
  path: string,
  offset: number,
  length: number | undefined,
  where: string,
): Promise<Uint8Array> {
  if (
    !Number.isSafeInteger(offset) ||
    offset < 0 ||
    (length !== undefined && (!Number.isSafeInteger(length) || length < 0))
  ) {
    throw RuntimeErrors.ONNX_INVALID(`${where}: offset ${offset} and length ${String(length)} are not a byte range`, {
      file: path,
    });
  }
  const bytes = await host.read(path, 'external data file', {
    missing: RuntimeErrors.PATH_NOT_FOUND,
    offset,
    ...(length !== undefined ? { length } : {}),
  });
  // A short read means the file ends inside the range.
  if (length !== undefined && bytes.byteLength < length) {
    throw RuntimeErrors.ONNX_INVALID(
      `${where}: bytes ${offset}..${offset + length} lie outside ${path}, which ends at byte ${offset + bytes.byteLength}`,
      { file: path },
    );
  }
  return bytes;
}

function collectTensors(graph: OnnxGraph | undefined, out: OnnxTensor[]): void {
  if (!graph) return;
  out.push(...graph.initializer);
  for (const node of graph.node) {
    for (const a of node.attribute ?? []) {
      if (a.t) out.push(a.t);
      // Lists of tensors and graphs (attribute types TENSORS, GRAPHS) are decoded but not typed.
      const lists = a as { tensors?: OnnxTensor[]; graphs?: OnnxGraph[] };
      for (const t of lists.tensors ?? []) out.push(t);
      collectTensors(a.g, out);
      for (const g of lists.graphs ?? []) collectTensors(g, out);
    }
  }
}

import { dirname, join, resolve } from 'node:path';
import type { Backend } from '../backend/backend.js';
import { E } from '../errors/runtime-errors.js';
import type { GraphBuilder, ParamDecl } from '../graph/graph-builder.js';
import type { ExternalTensor } from '../graph/onnx-proto.js';
import type { Int8Initializer } from '../graph/dequantize-int8.js';
import { int8ScaleDims, int8ScaleName } from '../safetensors/int8-weights.js';
import { toFloat32, type TensorData } from '../graph/tensor-data.js';
import { initialValue } from '../graph/init-params.js';
import type { Logger } from '../logger.js';
import type { PartBlock, PartKind, PartOfKind, UpstreamDims } from '../plugins/plugin-api.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { ComputeUnit, TaskContext } from '../plugins/task-contract.js';
import { checkWeights } from '../safetensors/check-weights.js';
import { FileWeightStore } from '../safetensors/file-weight-store.js';
import { checkWeightsProvenance } from './weights-provenance.js';
import type { WeightStore } from '../safetensors/weight-store.js';
import { RUNTIME_VERSION } from '../version.js';

/** A file reference found by validation: its JSON pointer and where it resolved to. */
export interface ResolvedFile {
  readonly pointer: string;
  readonly path: string;
  readonly exists: boolean;
}

/**
 * What parts and tasks of one pipeline see: the spec, part creation by pointer, weights, the
 * backend. One per loaded pipeline; everything it creates is scoped to that pipeline.
 */
export class PipelineContext implements TaskContext {
  readonly pointer = '';
  readonly dims: UpstreamDims = {};
  private weightStore: Promise<WeightStore> | undefined;
  /** Parameter names used by compiled units, to refuse weight files with tensors nobody owns. */
  readonly usedParams = new Set<string>();
  /**
   * Set to create fresh weights from the parts' initialisers instead of reading the weights file
   * (`recur init`, training from scratch). Generated tensors are kept in `generated`.
   */
  initializeSeed: number | undefined;
  /** Refuse weights that record another spec or tokenizer, whatever `runtime.provenance` says (CLI --strict-provenance). */
  strictProvenance = false;
  /** `specHash` of the spec as given (file text or object, before overrides): what older weights record. */
  specFileHash = '';
  /** The weights came from the spec's file (not `useWeights`): only those record provenance to check. */
  private weightsFromFile = false;
  readonly generated = new Map<string, TensorData>();

  constructor(
    readonly spec: Readonly<Record<string, unknown>>,
    readonly specDir: string,
    private readonly files: readonly ResolvedFile[],
    private readonly registry: PluginRegistry,
    readonly backend: Backend,
    readonly logger: Logger,
  ) {}

  async create<K extends PartKind>(
    kind: K,
    block: PartBlock,
    pointer: string,
    dims: UpstreamDims = {},
  ): Promise<PartOfKind[K]> {
    if (!block || typeof block !== 'object' || typeof block.type !== 'string') {
      throw E.SPEC_INVALID(`${pointer || '/'} must be a block with a "type"`, {
        pointer,
        expected: `{ "type": "<a registered ${kind}>", ... }`,
      });
    }
    const plugin = this.registry.resolve(kind, block.type, `${pointer}/type`);
    const { type: _type, ...options } = block;
    const ctx = Object.create(this, {
      pointer: { value: pointer },
      dims: { value: dims },
    }) as PipelineContext;
    return (await plugin.create(options, ctx)) as PartOfKind[K];
  }

  async part<K extends PartKind>(kind: K, pointer: string, dims: UpstreamDims = {}): Promise<PartOfKind[K]> {
    return this.create(kind, readPointer(this.spec, pointer) as PartBlock, pointer, dims);
  }

  resolvePath(path: string, pointer: string): string {
    const known = this.files.find((f) => f.pointer === pointer);
    return known ? known.path : resolve(this.specDir, path);
  }

  /** Supplies weights held in memory instead of the spec's file (training evaluation). */
  useWeights(store: WeightStore): void {
    this.weightStore = Promise.resolve(store);
  }

  weights(): Promise<WeightStore> {
    this.weightStore ??= this.readWeights();
    return this.weightStore;
  }

  async compileUnit(name: string, g: GraphBuilder): Promise<ComputeUnit> {
    if (this.initializeSeed !== undefined) return this.compileFresh(name, g, this.initializeSeed);
    const store = await this.weights();
    const params = g.params;
    // float16 and int8 weights stay so in the model (nodes in the graph widen them): no float32 copy here.
    const checked = checkWeights(
      store,
      params.map((p) => ({ name: p.name, dims: p.dims })),
      { allowExtra: true, keepFloat16: true, keepInt8: true },
    );
    let externalData: ComputeUnit['externalData'];
    // float32, float16 and int8 tensors of a weights file on disk stay there: ONNX Runtime reads them
    // from the file (external data), so no copy of them passes through JavaScript.
    const tensorOf = (name: string, dims: readonly number[]): TensorData | ExternalTensor => {
      const extent = checked.extent?.(name);
      if (extent && (extent.dtype === 'float32' || extent.dtype === 'float16' || extent.dtype === 'int8')) {
        externalData = { path: join(extent.dir, extent.file), fingerprint: extent.fingerprint };
        return {
          dtype: extent.dtype,
          dims,
          external: { file: extent.file, offset: extent.offset, length: extent.length },
        };
      }
      const t = checked.get(name)!;
      return t.dtype === 'float16' || t.dtype === 'int8'
        ? { dtype: t.dtype, dims, data: t.data }
        : { dtype: 'float32', dims, data: toFloat32(t) };
    };
    for (const p of params) this.usedParams.add(p.name);
    const model = g.toBytes({
      weights: (decl: ParamDecl): TensorData | ExternalTensor | Int8Initializer => {
        const values = tensorOf(decl.name, decl.dims);
        if (values.dtype !== 'int8') return values;
        const scaleName = int8ScaleName(decl.name);
        this.usedParams.add(scaleName);
        return { values, scale: tensorOf(scaleName, int8ScaleDims(decl.dims)) };
      },
      producerVersion: RUNTIME_VERSION,
      metadata: {
        'recur.unit': name,
        'recur.pipeline': typeof this.spec['name'] === 'string' ? this.spec['name'] : '',
      },
    });
    const userModels = g.linkedModels;
    return { name, model, ...(externalData ? { externalData } : {}), ...(userModels.length > 0 ? { userModels } : {}) };
  }

  private compileFresh(name: string, g: GraphBuilder, seed: number): ComputeUnit {
    const model = g.toBytes({
      weights: (decl: ParamDecl) => {
        let t = this.generated.get(decl.name);
        if (!t) {
          t = initialValue(decl, seed);
          this.generated.set(decl.name, t);
        }
        return t;
      },
      producerVersion: RUNTIME_VERSION,
      metadata: { 'recur.unit': name },
    });
    const userModels = g.linkedModels;
    return userModels.length > 0 ? { name, model, userModels } : { name, model };
  }

  /** After every unit is compiled: a weights file with tensors no part declared does not fit the spec. */
  async checkNoExtraWeights(): Promise<void> {
    if (this.weightStore === undefined) return;
    const store = await this.weightStore;
    const extra = store.names().filter((n) => !this.usedParams.has(n));
    if (extra.length > 0) {
      throw E.WEIGHTS_MISMATCH(
        `${store.source} has tensors the spec does not use: ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', ...' : ''}; it was trained for another spec`,
        {
          pointer: '/weights',
          file: store.source,
          tensor: extra[0],
        },
      );
    }
  }

  private async readWeights(): Promise<WeightStore> {
    const rel = this.spec['weights'];
    if (typeof rel !== 'string') {
      throw E.WEIGHTS_MISSING('the spec names no weights file; add "weights" and train it with recur train', {
        pointer: '/weights',
      });
    }
    const file = this.files.find((f) => f.pointer === '/weights');
    const path = file ? file.path : resolve(this.specDir, rel);
    if (file && !file.exists) {
      throw E.WEIGHTS_MISSING(`weights file ${rel} does not exist yet; create it with: recur train <spec> --data ...`, {
        pointer: '/weights',
        file: path,
      });
    }
    this.weightsFromFile = true;
    return FileWeightStore.open(path);
  }

  /**
   * After every unit is compiled (so weights that do not fit at all are refused as such first):
   * compares the weights file's recorded provenance with this spec and its tokenizer files.
   */
  async checkProvenance(): Promise<void> {
    if (this.weightStore === undefined || !this.weightsFromFile) return;
    const store = await this.weightStore;
    const runtime = (this.spec['runtime'] ?? {}) as Record<string, unknown>;
    const policy = this.strictProvenance || runtime['provenance'] === 'error' ? 'error' : 'warn';
    const tokenizers = this.files.filter((f) => f.pointer.endsWith('/tokenizer/path') && f.exists).map((f) => f.path);
    await checkWeightsProvenance(store, this.spec, this.specFileHash, tokenizers, policy, this.logger);
  }
}

/** Reads the value at a JSON pointer; undefined when any step is missing. */
export function readPointer(root: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return root;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export function specDirOf(specPath: string | undefined, baseDir: string): string {
  return specPath ? dirname(resolve(specPath)) : resolve(baseDir);
}

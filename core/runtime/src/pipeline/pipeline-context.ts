import { join } from 'node:path';
import type { Container, ServiceIdentifier } from 'inversify';
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
import { TOKENS } from '../plugins/tokens.js';
import type { FileHost } from '../files/file-host.js';
import { parseSafetensors } from '../safetensors/read.js';
import { childScope } from './child-scope.js';
import type { ComputeUnit, TaskContext } from '../plugins/task-contract.js';
import { checkWeights } from '../safetensors/check-weights.js';
import { checkWeightsProvenance } from './weights-provenance.js';
import type { WeightStore } from '../safetensors/weight-store.js';
import { RUNTIME_VERSION } from '../version.js';

/** A file reference found by validation: its JSON pointer and where it resolved to. */
export interface ResolvedFile {
  readonly pointer: string;
  readonly path: string;
  readonly exists: boolean;
}

/** What one pipeline's contexts share, whichever part scope they belong to. */
export interface PipelineState {
  /** Parameter names used by compiled units, to refuse weight files with tensors nobody owns. */
  readonly usedParams: Set<string>;
  /** Weights `initialize` created, by parameter name. */
  readonly generated: Map<string, TensorData>;
  /**
   * Set to create fresh weights from the parts' initialisers instead of reading the weights file
   * (`recur init`, training from scratch).
   */
  readonly initializeSeed: number | undefined;
  /** Refuse weights that record another spec or tokenizer, whatever `runtime.provenance` says. */
  readonly strictProvenance: boolean;
  /** `specHash` of the spec as given (file text or object, before overrides): what older weights record. */
  readonly specFileHash: string;
  /** Set once a unit asked for the weights (only then are they checked for extra tensors). */
  weightsAsked: boolean;
}

/**
 * What parts and tasks of one pipeline see: a view of the pipeline's container (built in
 * `compose-pipeline.ts`) for one part's scope. The services (spec, backend, logger, file host,
 * weights) are read from the container, so whatever an application bound there is what every part
 * uses; `pointer` and `dims` are the part scope's own bindings.
 */
export class PipelineContext implements TaskContext {
  constructor(
    /** The container of this part's scope: a child of the pipeline's container (or that container). */
    private readonly scope: Container,
    readonly state: PipelineState,
  ) {}

  /** Located folder of the spec; relative references resolve against it. */
  get specDir(): string {
    return this.scope.get(TOKENS.specDir);
  }

  private get files(): readonly ResolvedFile[] {
    return this.scope.get(TOKENS.files);
  }

  get<T>(token: ServiceIdentifier<T>): T {
    return this.scope.get(token);
  }

  get pointer(): string {
    return this.scope.get(TOKENS.pointer);
  }

  get dims(): UpstreamDims {
    return this.scope.get(TOKENS.dims);
  }

  get spec(): Readonly<Record<string, unknown>> {
    return this.scope.get(TOKENS.spec);
  }

  get backend(): Backend {
    return this.scope.get(TOKENS.backend);
  }

  get logger(): Logger {
    return this.scope.get(TOKENS.logger);
  }

  /** Weights `initialize` created, by parameter name (empty otherwise). */
  get generated(): ReadonlyMap<string, TensorData> {
    return this.state.generated;
  }

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
    const plugin = this.scope.get(TOKENS.registry).resolve(kind, block.type, `${pointer}/type`);
    const { type: _type, ...options } = block;
    return (await plugin.create(options, this.forPart(pointer, dims))) as PartOfKind[K];
  }

  /** The context of a part at `pointer`: a child scope binding its pointer and upstream sizes. */
  forPart(pointer: string, dims: UpstreamDims): PipelineContext {
    const scope = childScope(this.scope);
    scope.bind(TOKENS.pointer).toConstantValue(pointer);
    scope.bind(TOKENS.dims).toConstantValue(dims);
    return new PipelineContext(scope, this.state);
  }

  async part<K extends PartKind>(kind: K, pointer: string, dims: UpstreamDims = {}): Promise<PartOfKind[K]> {
    return this.create(kind, readPointer(this.spec, pointer) as PartBlock, pointer, dims);
  }

  resolvePath(path: string, pointer: string): string {
    const known = this.files.find((f) => f.pointer === pointer);
    return known ? known.path : this.get(TOKENS.fileHost).resolve(this.specDir, path);
  }

  weights(): Promise<WeightStore> {
    this.state.weightsAsked = true;
    return this.scope.get(TOKENS.weights)();
  }

  async compileUnit(name: string, g: GraphBuilder): Promise<ComputeUnit> {
    if (this.state.initializeSeed !== undefined) return this.compileFresh(name, g, this.state.initializeSeed);
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
    for (const p of params) this.state.usedParams.add(p.name);
    const model = g.toBytes({
      weights: (decl: ParamDecl): TensorData | ExternalTensor | Int8Initializer => {
        const values = tensorOf(decl.name, decl.dims);
        if (values.dtype !== 'int8') return values;
        const scaleName = int8ScaleName(decl.name);
        this.state.usedParams.add(scaleName);
        return { values, scale: tensorOf(scaleName, int8ScaleDims(decl.dims)) };
      },
      producerVersion: RUNTIME_VERSION,
      metadata: { 'recur.unit': name, 'recur.pipeline': String(this.spec['name'] ?? '') },
    });
    const userModels = g.linkedModels;
    return { name, model, ...(externalData ? { externalData } : {}), ...(userModels.length > 0 ? { userModels } : {}) };
  }

  private compileFresh(name: string, g: GraphBuilder, seed: number): ComputeUnit {
    const model = g.toBytes({
      weights: (decl: ParamDecl) => {
        let t = this.state.generated.get(decl.name);
        if (!t) {
          t = initialValue(decl, seed);
          this.state.generated.set(decl.name, t);
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
    if (!this.state.weightsAsked) return;
    const store = await this.weights();
    const extra = store.names().filter((n) => !this.state.usedParams.has(n));
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

  /**
   * After every unit is compiled (so weights that do not fit at all are refused as such first):
   * compares the weights file's recorded provenance with this spec and its tokenizer files.
   * Weights given in memory (`LoadOptions.weights`) record nothing to compare.
   */
  async checkProvenance(weightsFromFile: boolean): Promise<void> {
    if (!this.state.weightsAsked || !weightsFromFile) return;
    const store = await this.weights();
    const runtime = (this.spec['runtime'] ?? {}) as Record<string, unknown>;
    const policy = this.state.strictProvenance || runtime['provenance'] === 'error' ? 'error' : 'warn';
    const tokenizers = this.files.filter((f) => f.pointer.endsWith('/tokenizer/path') && f.exists).map((f) => f.path);
    const host = this.get(TOKENS.fileHost);
    const read = (location: string) => host.read(location, 'tokenizer file');
    await checkWeightsProvenance(store, this.spec, this.state.specFileHash, tokenizers, policy, this.logger, read);
  }
}

/**
 * Opens the spec's weights file through the pipeline's file host: on disk with extents where the
 * host can (`openWeights`), else read whole and parsed in memory.
 */
export async function readSpecWeights(
  spec: Readonly<Record<string, unknown>>,
  files: readonly ResolvedFile[],
  specDir: string,
  host: FileHost,
): Promise<WeightStore> {
  const rel = spec['weights'];
  if (typeof rel !== 'string') {
    throw E.WEIGHTS_MISSING('the spec names no weights file; add "weights" and train it with recur train', {
      pointer: '/weights',
    });
  }
  const file = files.find((f) => f.pointer === '/weights');
  const location = file ? file.path : host.resolve(specDir, rel);
  if (file && !file.exists) {
    throw E.WEIGHTS_MISSING(`weights file ${rel} does not exist yet; create it with: recur train <spec> --data ...`, {
      pointer: '/weights',
      file: location,
    });
  }
  if (host.openWeights) return host.openWeights(location);
  return parseSafetensors(await host.read(location, 'weights file'), location);
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

import type { Backend } from '../backend/backend.js';
import type { GraphBuilder } from '../graph/graph-builder.js';
import type { WeightStore } from '../safetensors/weight-store.js';
import type { PartContext, PartKind, PartOfKind, UpstreamDims } from './plugin-api.js';

/** Call-time options common to every task (each task adds its own). */
export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly [option: string]: unknown;
}

/** A graph that runs as one ONNX Runtime session. */
export interface ComputeUnit {
  /** Unit name, unique in the pipeline (`classifier`, `encoder`, `decoder-step`). */
  readonly name: string;
  /** The ONNX model with the weights as initializers. */
  readonly model: Uint8Array;
  /**
   * Set when initializers point into a weights file instead of holding their bytes (ONNX external
   * data whose locations name the file `path` by its base name); `fingerprint` (size, modification
   * time, inode) changes when the file does. Such a model is not self-contained: `selfContainedModel`
   * inlines the bytes (what `recur export` writes).
   */
  readonly externalData?: { readonly path: string; readonly fingerprint: string };
  /**
   * ONNX files a user supplied whose nodes this unit holds (an `onnx-file` encoder, `runOnnxFile`).
   * When ONNX Runtime refuses such a unit (an unknown operator, an impossible allocation), the error
   * is RECUR_E_ONNX_REJECTED naming them, exit 1: the model is at fault, not Recur.
   */
  readonly userModels?: readonly string[];
}

/** What a task's compile step can use. */
export interface TaskContext extends PartContext {
  /** The spec after defaults and validation. */
  readonly spec: Readonly<Record<string, unknown>>;
  /** Creates the part in the spec at `pointer` (`/encoder`, `/source/embedding`). */
  part<K extends PartKind>(kind: K, pointer: string, dims?: UpstreamDims): Promise<PartOfKind[K]>;
  /** The pipeline's weights; throws RECUR_E_WEIGHTS_MISSING when the spec has none yet. */
  weights(): Promise<WeightStore>;
  /** Builds a unit's graph with the pipeline's weights, checking each declared parameter against them. */
  compileUnit(name: string, g: GraphBuilder): Promise<ComputeUnit>;
  readonly backend: Backend;
}

/** A compiled task: what `Pipeline.run` calls. */
export interface TaskRunner {
  readonly units: readonly ComputeUnit[];
  /**
   * Runs a batch; returns one result per input, in order, each shaped as for a single input. With
   * coalescing on, the inputs may come from several concurrent calls that share the same options.
   */
  run(inputs: readonly unknown[], options: RunOptions): Promise<unknown[]>;
  /**
   * How one input's result looks when the caller passed an array (transformers.js returns a bare
   * `{label, score}` per input for a top-1 batch, for example). Identity when absent.
   */
  formatBatched?(result: unknown, options: RunOptions): unknown;
  /**
   * Whether the pipeline coalesces concurrent `run` calls into batches before calling `run`.
   * A runner that batches by itself (continuous batching for generation) sets this to false.
   * @defaultValue true
   */
  readonly coalesce?: boolean;
  stream?(input: unknown, options: RunOptions): AsyncIterable<string>;
  dispose(): Promise<void>;
}

/** A task plugin (`kind: 'task'`): compiles the parts into units. */
export interface TaskPart {
  compile(ctx: TaskContext): Promise<TaskRunner>;
}

import type { TensorData } from '../graph/tensor-data.js';
import type { ComputeUnit } from '../plugins/task-contract.js';

/** Load-time options of a session; the spec's `runtime` block maps onto these. */
export interface SessionOptions {
  /**
   * Execution providers in order of preference (`["cuda", "cpu"]`). A provider that is not
   * available is dropped with a logged warning; CPU is always the last resort.
   * @defaultValue `["cpu"]`
   */
  readonly executionProviders?: readonly string[];
  /**
   * Intra-op threads of the session (0 lets ONNX Runtime choose).
   * @defaultValue 0
   */
  readonly threads?: number;
}

/** One ONNX Runtime session for one compute unit. */
export interface Session {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** The providers the session actually runs on, after fallback. */
  readonly executionProviders: readonly string[];
  /** Runs the graph. A signal that is already aborted rejects with RECUR_E_ABORTED before running. */
  run(
    feeds: Readonly<Record<string, TensorData>>,
    options?: { signal?: AbortSignal; outputs?: readonly string[] },
  ): Promise<Record<string, TensorData>>;
  /**
   * Gives back this holder's use of the session. Sessions are shared between holders of the same
   * unit; the last release frees it, after which `run` rejects with RECUR_E_DISPOSED.
   */
  release(): Promise<void>;
}

/** Creates and caches sessions; shared by every pipeline of a process (root container). */
export interface Backend {
  /** The session of a unit; the same unit bytes and options give the same cached session. */
  session(unit: ComputeUnit, options?: SessionOptions): Promise<Session>;
  /** Releases every cached session. */
  dispose(): Promise<void>;
}

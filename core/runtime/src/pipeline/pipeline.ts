import type { ComputeUnit, RunOptions } from '../plugins/task-contract.js';
import type { TensorData } from '../graph/tensor-data.js';

/**
 * A loaded pipeline. Create one with `load()`; free its sessions with `dispose()`.
 *
 * @example
 * const registry = createRegistry();               // from @recur/cli: the built-in plugins
 * const sentiment = await load('pipelines/sentiment.json', { registry });
 * await sentiment.run('What a lovely film.');      // [{ label: 'positive', score: 0.97 }]
 * await sentiment.dispose();
 */
export interface Pipeline {
  /** The spec's `name`. */
  readonly name: string;
  /** The resolved task name (`text-classification`), never an alias. */
  readonly task: string;
  /** The spec after overrides and defaults. */
  readonly spec: Readonly<Record<string, unknown>>;
  /** The compiled ONNX graphs, for `recur export`. */
  readonly units: readonly ComputeUnit[];
  /**
   * Runs the task. One input gives that input's result; an array gives one result per input, in order.
   * Options are per call (`{ topK: 2 }`, `{ signal }`); an aborted signal rejects with RECUR_E_ABORTED.
   */
  run(input: unknown, options?: RunOptions): Promise<unknown>;
  /** Yields pieces of text as they are generated (generation tasks only). */
  stream(input: unknown, options?: RunOptions): AsyncIterable<string>;
  /** Weights created by `load(..., { initialize })`, by parameter name (empty otherwise). */
  readonly initializedWeights: ReadonlyMap<string, TensorData>;
  /** The spec's folder: relative paths in the spec resolve against it. */
  readonly specDir: string;
  /** Releases sessions; later calls reject with RECUR_E_DISPOSED. Safe to call twice. */
  dispose(): Promise<void>;
}

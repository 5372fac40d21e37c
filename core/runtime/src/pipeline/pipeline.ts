import type { ComputeUnit, RunOptions } from '../plugins/task-contract.js';
import type { TaskBatchEntry, TaskInput, TaskName, TaskOptions, TaskResult } from '../plugins/task-types.js';
import type { TensorData } from '../graph/tensor-data.js';

/**
 * A loaded pipeline. Create one with `load()`; free its sessions with `dispose()`. `Pipeline<T>` is a
 * pipeline of task `T` whose `run` says what it returns (see `load(spec, { task })`); a plain
 * `Pipeline` runs any task and returns `unknown`.
 *
 * @example
 * const registry = createRegistry();               // from @recur/cli: the built-in plugins
 * const sentiment = await load('pipelines/sentiment.json', { registry, task: 'text-classification' });
 * await sentiment.run('What a lovely film.');      // LabelScore[]: [{ label: 'positive', score: 0.97 }]
 * await sentiment.run(['Lovely.', 'Dull.']);       // LabelScore[]: one { label, score } per input
 * await sentiment.run(['Lovely.'], { topK: null }); // LabelScore[][]: every label per input
 * await sentiment.dispose();
 */
export interface Pipeline<T extends string = string> {
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
  readonly run: RunFunction<T>;
  /** Yields pieces of text as they are generated (generation tasks only). */
  stream(input: TaskInput<T>, options?: TaskOptions<T>): AsyncIterable<string>;
  /** Weights created by `load(..., { initialize })`, by parameter name (empty otherwise). */
  readonly initializedWeights: ReadonlyMap<string, TensorData>;
  /** The spec's folder: relative paths in the spec resolve against it. */
  readonly specDir: string;
  /** Releases sessions; later calls reject with RECUR_E_DISPOSED. Safe to call twice. */
  dispose(): Promise<void>;
}

/** `Pipeline<T>['run']`: typed for a task with a declared signature, `unknown` otherwise. */
export type RunFunction<T extends string> = T extends TaskName ? TypedRun<T> : UntypedRun['run'];

/**
 * `run` of a pipeline of any task. Declared as a method so that its parameters compare bivariantly:
 * a typed pipeline (`Pipeline<'translation'>`) can be passed where a `Pipeline` is expected.
 */
interface UntypedRun {
  run(input: unknown, options?: RunOptions): Promise<unknown>;
}

/** `run` of a pipeline of task `T`: one input or an array of them. */
export interface TypedRun<T extends TaskName> {
  /** One input: an array of result items (`[{ label, score }]`). */
  (input: TaskInput<T>, options?: TaskOptions<T>): Promise<TaskResult<T>>;
  /** An array of inputs: one entry per input, in order, shaped by the call's options (see `TaskBatchEntry`). */
  // Without options, `O` is undefined: the task's default count, so bare items where it has a count option.
  <const O extends TaskOptions<T> | undefined = undefined>(
    inputs: readonly TaskInput<T>[],
    options?: O,
  ): Promise<TaskBatchEntry<T, O>[]>;
}

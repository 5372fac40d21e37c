import type { RunOptions } from './task-contract.js';

/**
 * What a task's `run` takes and gives, as a typed pipeline (`Pipeline<'text-classification'>`)
 * declares it. Results follow transformers.js: `run(input)` gives an array of items
 * (`[{ label, score }]`); `run([a, b])` gives one entry per input, either the same array or, for a
 * task with a `countOption` whose value is 1 (its default), the bare item.
 */
export interface TaskSignature {
  /** One input of `run(input)`; `run` also takes an array of them. */
  readonly input: unknown;
  /** The task's call options. */
  readonly options: RunOptions;
  /** One item of a result (`{ label, score }`, `{ generated_text }`). */
  readonly item: unknown;
  /**
   * The call option that says how many items each input gets (`topK`, `numReturnSequences`) when a
   * batch gives a bare item per input while it is 1 or absent. Without it, each input of a batch
   * gets an array of items, as `run(input)` does.
   */
  readonly countOption?: string;
}

/**
 * Task name (and alias) -> its {@link TaskSignature}. Empty in the runtime, which knows no task by
 * name: the package that ships a task plugin adds it by declaration merging, and `load(spec, { task })`
 * then gives a pipeline whose `run` says what it returns:
 *
 * @example
 * declare module '@recur/runtime' {
 *   interface TaskTypes {
 *     'text-classification': { input: string; options: ClassificationOptions; item: LabelScore; countOption: 'topK' };
 *   }
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface TaskTypes {}

/** The task names that have a declared signature (those of the task plugin packages in the program). */
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- `never` only until a task package fills TaskTypes
export type TaskName = keyof TaskTypes & string;

/** The signature of task `T`, or an untyped one for a task nobody declared. */
type SignatureOf<T extends string> = T extends TaskName
  ? TaskTypes[T] extends TaskSignature
    ? TaskTypes[T]
    : never
  : { input: unknown; options: RunOptions; item: unknown };

/** One input of task `T`'s `run`. */
export type TaskInput<T extends string> = SignatureOf<T>['input'];
/** Call options of task `T`. */
export type TaskOptions<T extends string> = SignatureOf<T>['options'];
/** What `run(input)` of task `T` gives. */
export type TaskResult<T extends string> = T extends TaskName ? SignatureOf<T>['item'][] : unknown;

/** The type of the count option `C` in call options `O`; `undefined` where it is absent or no options are given. */
type CountOf<O, C extends string> = O extends object ? (C extends keyof O ? O[C] : undefined) : undefined;

/**
 * One entry of `run(inputs, options)` of task `T` called with options of type `O`: the bare item when
 * the task's count option is known to be 1 (absent, or the literal 1), an array of items when it is
 * known to be another count or `null`, either one when the type does not tell.
 */
export type TaskBatchEntry<T extends string, O> = T extends TaskName
  ? SignatureOf<T> extends { countOption: infer C extends string; item: infer I }
    ? [CountOf<O, C>] extends [1 | undefined]
      ? I
      : 1 extends CountOf<O, C>
        ? I | I[]
        : undefined extends CountOf<O, C>
          ? I | I[]
          : I[]
    : SignatureOf<T>['item'][]
  : unknown;

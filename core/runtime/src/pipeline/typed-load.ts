import { E } from '../errors/runtime-errors.js';
import type { TaskName } from '../plugins/task-types.js';
import { load as loadPipeline } from './load.js';
import type { LoadOptions } from './load-options.js';
import type { Pipeline } from './pipeline.js';

/**
 * Loads a pipeline from a spec file path or a spec object: validates it (every problem at once),
 * imports the plugins it lists that the caller allowed, creates its parts, compiles the compute
 * units with the weights and opens one ONNX Runtime session per unit.
 *
 * With `task`, the pipeline's `run` is typed by that task and a spec of another task is refused
 * (RECUR_E_TASK_MISMATCH); without it, `run` returns `unknown`.
 *
 * @example
 * const sentiment = await load('pipelines/sentiment.json', { registry, task: 'text-classification' });
 * const [best] = await sentiment.run('A lovely film.'); // best: LabelScore ({ label, score })
 */
export function load<T extends TaskName>(
  spec: string | Record<string, unknown>,
  options: LoadOptions & { readonly task: T },
): Promise<Pipeline<T>>;
export function load(spec: string | Record<string, unknown>, options: LoadOptions): Promise<Pipeline>;
export async function load(spec: string | Record<string, unknown>, options: LoadOptions): Promise<Pipeline> {
  const pipeline = await loadPipeline(spec, options);
  if (options.task === undefined) return pipeline;
  // The spec's task is known once it is validated and resolved, which load does; an alias given
  // here ("sentiment-analysis") is compared by the task it names.
  const expected = options.registry.find('task', options.task)?.baseName ?? options.task;
  if (pipeline.task === expected) return pipeline;
  await pipeline.dispose();
  const where = typeof spec === 'string' ? spec : `"${pipeline.name}"`;
  // A plain string here: inside this package no task is declared yet (TaskTypes is filled by the task packages).
  const asked: string = options.task;
  throw E.TASK_MISMATCH(
    `the spec ${where} is a "${pipeline.task}" pipeline, and load() was asked for "${asked}": load a ${asked} spec, or pass task: "${pipeline.task}"`,
    { pointer: '/task', expected: expected },
  );
}

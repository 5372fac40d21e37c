import { resolve } from 'node:path';
import { OrtBackend } from '../backend/ort-backend.js';
import { consoleLogger } from '../logger.js';
import type { TaskPart } from '../plugins/task-contract.js';
import { loadSpec } from '../spec/load-spec.js';
import { readSpecFile } from '../spec/read-spec-file.js';
import type { SpecPurpose } from '../spec/spec-types.js';
import { specHash } from '../safetensors/provenance.js';
import type { LoadOptions } from './load-options.js';
import { PipelineContext, specDirOf } from './pipeline-context.js';
import { PipelineImpl } from './pipeline-impl.js';
import { callOptionsValidator, checkCallOptions } from './call-options.js';
import type { Pipeline } from './pipeline.js';
import { loadSpecPlugins } from './plugin-loader.js';

export const PIPELINE_SPEC = Symbol.for('recur.pipeline.spec');
export const PIPELINE_CONTEXT = Symbol.for('recur.pipeline.context');

/**
 * Loads a pipeline from a spec file path or a spec object: validates it (every problem at once),
 * imports the plugins it lists that the caller allowed, creates its parts, compiles the compute
 * units with the weights and opens one ONNX Runtime session per unit.
 */
export async function load(spec: string | Record<string, unknown>, options: LoadOptions): Promise<Pipeline> {
  return loadFor(spec, options, options.initialize || options.weights ? 'weights-given' : 'run');
}

/**
 * `load` for a given purpose: `'validate'` lets `checkPipelineFiles` build a pipeline whose weights
 * or training inputs do not exist yet (with `initialize`), judging its other files as validation does.
 */
export async function loadFor(
  spec: string | Record<string, unknown>,
  options: LoadOptions,
  purpose: SpecPurpose,
): Promise<Pipeline> {
  const logger = options.logger ?? consoleLogger();
  const specPath = typeof spec === 'string' ? resolve(spec) : undefined;
  const text = specPath !== undefined ? await readSpecFile(specPath) : spec;
  const specDir = specDirOf(specPath, options.baseDir ?? process.cwd());

  const registry = await loadSpecPlugins(pluginList(text), specDir, options.allowPlugins ?? [], options.registry);
  const loaded = await loadSpec(text, {
    registry,
    ...(specPath !== undefined ? { specPath } : { specPath: resolve(specDir, 'spec.json') }),
    ...(options.allowRoots ? { allowRoots: options.allowRoots } : {}),
    ...(options.overrides ? { overrides: options.overrides } : {}),
    purpose,
  });

  const container = registry.createPipelineContainer();
  const backend = options.backend ?? new OrtBackend({ logger });
  const ctx = new PipelineContext(loaded.spec, specDir, loaded.files, registry, backend, logger);
  if (options.initialize) ctx.initializeSeed = options.initialize.seed;
  if (options.strictProvenance) ctx.strictProvenance = true;
  ctx.specFileHash = specHash(text);
  if (options.weights) ctx.useWeights(options.weights);
  container.bind(PIPELINE_SPEC).toConstantValue(loaded.spec);
  container.bind(PIPELINE_CONTEXT).toConstantValue(ctx);
  try {
    const taskName = loaded.spec['task'];
    const taskPlugin = registry.resolve('task', taskName, '/task');
    callOptionsValidator(taskPlugin); // a bad callOptions schema fails the load, not the first call
    const task = (await taskPlugin.create({}, ctx)) as TaskPart;
    const runner = await task.compile(ctx);
    await ctx.checkNoExtraWeights();
    await ctx.checkProvenance();
    return new PipelineImpl(
      loaded.spec['name'],
      taskPlugin.baseName,
      loaded.spec,
      runner,
      container,
      options.backend ? undefined : backend,
      ctx,
      (o) => {
        checkCallOptions(taskPlugin, o);
      },
    );
  } catch (err) {
    if (!options.backend) await backend.dispose();
    throw err;
  }
}

/** The spec's `plugins` list, read before validation (their schemas take part in it). */
function pluginList(spec: string | Record<string, unknown>): readonly unknown[] {
  let obj: unknown = spec;
  if (typeof spec === 'string') {
    try {
      obj = JSON.parse(spec);
    } catch {
      return []; // validation reports the syntax error with its position
    }
  }
  const list = obj && typeof obj === 'object' ? (obj as Record<string, unknown>)['plugins'] : undefined;
  return Array.isArray(list) ? list : [];
}

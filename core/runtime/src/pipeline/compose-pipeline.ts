import { Container } from 'inversify';
import type { Backend } from '../backend/backend.js';
import { OrtBackend } from '../backend/ort-backend.js';
import type { FileHost } from '../files/file-host.js';
import { nodeFileHost } from '../files/node-file-host.js';
import { consoleLogger, type Logger } from '../logger.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { TaskPart } from '../plugins/task-contract.js';
import { TOKENS } from '../plugins/tokens.js';
import { specHash } from '../safetensors/provenance.js';
import type { WeightStore } from '../safetensors/weight-store.js';
import { loadSpec } from '../spec/load-spec.js';
import { readSpecFile } from '../spec/read-spec-file.js';
import type { SpecPurpose } from '../spec/spec-types.js';
import { callOptionsValidator, checkCallOptions } from './call-options.js';
import type { LoadOptions } from './load-options.js';
import { PipelineContext, readSpecWeights, type PipelineState, type ResolvedFile } from './pipeline-context.js';
import { PipelineImpl } from './pipeline-impl.js';
import type { Pipeline } from './pipeline.js';
import { loadSpecPlugins } from './plugin-loader.js';

/*
 * How a pipeline is composed. Each loaded pipeline has its own inversify container:
 *
 *   1. services      TOKENS.logger, TOKENS.fileHost, TOKENS.backend (an OrtBackend, made on first use
 *                    and disposed with the pipeline), TOKENS.weights (opened on first use through the
 *                    file host); then LoadOptions.services may rebind any of them for this pipeline.
 *   2. the spec      read through the file host, its plugins imported into a child registry
 *                    (TOKENS.registry), validated and filled (TOKENS.spec), its file references
 *                    located and contained (TOKENS.files, TOKENS.specDir).
 *   3. the parts     the task part is created from the container, and its compile step creates the
 *                    spec's parts in dependency order (tokenizer, embedding, encoder, head), each in a
 *                    child scope that binds its TOKENS.pointer and TOKENS.dims (the sizes of its
 *                    upstream part); a part reads every service by token (`ctx.get(TOKENS.backend)`).
 *
 * The standalone part contexts (conformance runs, the trainer, the server's token counter) are made
 * by `composeContext` from the same steps 1 and 2, with a spec given as an object.
 */

/** The services of a pipeline that an application may give or replace. */
export interface ServiceOptions {
  readonly logger?: Logger;
  /** A backend the caller owns (and disposes); without it the pipeline makes and disposes its own. */
  readonly backend?: Backend;
  readonly fileHost?: FileHost;
  /** Weights held in memory instead of the spec's weights file. */
  readonly weights?: WeightStore;
  /** Rebinds services in the pipeline's container before anything is read (see `LoadOptions.services`). */
  readonly services?: (container: Container) => void;
}

/** A pipeline's container with its services bound, and what it made that the pipeline owns. */
interface PipelineServices {
  readonly container: Container;
  /** The backend the container made itself (undefined while none was asked for, or when given). */
  ownedBackend(): Backend | undefined;
  /** Whether the weights came from the spec's file through the file host (only those record provenance). */
  weightsFromFile(): boolean;
}

/** Step 1: a new container with the pipeline's services; `options.services` may replace any of them. */
function pipelineServices(options: ServiceOptions): PipelineServices {
  const container = new Container();
  let owned: Backend | undefined;
  let fromFile = false;
  container.bind(TOKENS.logger).toConstantValue(options.logger ?? consoleLogger());
  container.bind(TOKENS.fileHost).toConstantValue(options.fileHost ?? nodeFileHost);
  if (options.backend) container.bind(TOKENS.backend).toConstantValue(options.backend);
  else
    container
      .bind(TOKENS.backend)
      .toDynamicValue((c) => (owned = new OrtBackend({ logger: c.get(TOKENS.logger) })))
      .inSingletonScope();
  const given = options.weights;
  if (given) container.bind(TOKENS.weights).toConstantValue(() => Promise.resolve(given));
  else
    container
      .bind(TOKENS.weights)
      .toDynamicValue((c) => {
        let opened: Promise<WeightStore> | undefined;
        return () => {
          fromFile = true;
          opened ??= readSpecWeights(
            c.get(TOKENS.spec),
            c.get(TOKENS.files),
            c.get(TOKENS.specDir),
            c.get(TOKENS.fileHost),
          );
          return opened;
        };
      })
      .inSingletonScope();
  options.services?.(container);
  return { container, ownedBackend: () => owned, weightsFromFile: () => fromFile };
}

/** Step 2: binds what the validated spec gives (the scope of the pipeline's root context: pointer ''). */
function bindSpec(
  container: Container,
  registry: PluginRegistry,
  spec: Readonly<Record<string, unknown>>,
  specDir: string,
  files: readonly ResolvedFile[],
): void {
  container.bind(TOKENS.registry).toConstantValue(registry);
  container.bind(TOKENS.spec).toConstantValue(spec);
  container.bind(TOKENS.specDir).toConstantValue(specDir);
  container.bind(TOKENS.files).toConstantValue(files);
  container.bind(TOKENS.pointer).toConstantValue('');
  container.bind(TOKENS.dims).toConstantValue({});
}

function pipelineState(options: {
  readonly initialize?: { readonly seed: number };
  readonly strictProvenance?: boolean;
  readonly specFileHash?: string;
}): PipelineState {
  return {
    usedParams: new Set(),
    generated: new Map(),
    initializeSeed: options.initialize?.seed,
    strictProvenance: options.strictProvenance ?? false,
    specFileHash: options.specFileHash ?? '',
    weightsAsked: false,
  };
}

/**
 * Loads a pipeline (what `load` does): composes its container, reads and validates the spec, creates
 * the task and its parts, compiles the compute units and opens their sessions. `purpose` is how the
 * spec's files are judged (`'validate'` lets `checkPipelineFiles` build one whose weights do not exist).
 */
export async function composePipeline(
  spec: string | Record<string, unknown>,
  options: LoadOptions,
  purpose: SpecPurpose,
): Promise<Pipeline> {
  const services = pipelineServices(options);
  const { container } = services;
  try {
    const host = container.get(TOKENS.fileHost);
    const base = host.base();
    const specPath = typeof spec === 'string' ? host.resolve(base, spec) : undefined;
    const text = specPath !== undefined ? await readSpecFile(specPath, undefined, host) : spec;
    const specDir = specPath !== undefined ? host.dirname(specPath) : host.resolve(base, options.baseDir ?? '.');

    const registry = await loadSpecPlugins(pluginList(text), specDir, options.allowPlugins ?? [], options.registry);
    const loaded = await loadSpec(text, {
      registry,
      specPath: specPath ?? host.resolve(specDir, 'spec.json'),
      fileHost: host,
      ...(options.allowRoots ? { allowRoots: options.allowRoots } : {}),
      ...(options.overrides ? { overrides: options.overrides } : {}),
      purpose,
    });
    bindSpec(container, registry, loaded.spec, specDir, loaded.files);

    const ctx = new PipelineContext(container, pipelineState({ ...options, specFileHash: specHash(text) }));
    const taskPlugin = registry.resolve('task', String(loaded.spec['task']), '/task');
    callOptionsValidator(taskPlugin); // a bad callOptions schema fails the load, not the first call
    const task = (await taskPlugin.create({}, ctx)) as TaskPart;
    const runner = await task.compile(ctx);
    await ctx.checkNoExtraWeights();
    await ctx.checkProvenance(services.weightsFromFile());
    return new PipelineImpl(
      String(loaded.spec['name']),
      taskPlugin.baseName,
      loaded.spec,
      runner,
      container,
      services.ownedBackend(),
      ctx,
      (o) => {
        checkCallOptions(taskPlugin, o);
      },
    );
  } catch (err) {
    await services.ownedBackend()?.dispose();
    throw err;
  }
}

/** Options of `composeContext`: a part context for a spec given as an object, without loading a pipeline. */
export interface ComposeContextOptions extends ServiceOptions {
  readonly registry: PluginRegistry;
  /** The (validated) spec parts are created from by pointer. @defaultValue `{}` */
  readonly spec?: Readonly<Record<string, unknown>>;
  /** Folder relative references resolve against. @defaultValue the file host's base (the working folder) */
  readonly specDir?: string;
  /** The spec's file references as validation resolved them. @defaultValue none */
  readonly files?: readonly ResolvedFile[];
  readonly initialize?: { readonly seed: number };
}

/**
 * The root context of a pipeline that is not loaded (conformance runs and tests that build one part,
 * the trainer, the server's token counter): the same container and services as `composePipeline`,
 * its spec given. Parts are created with `ctx.create(kind, block, pointer, dims)` or `ctx.part(...)`.
 * A backend the container makes is not disposed by anyone: give one when parts open sessions.
 */
export function composeContext(options: ComposeContextOptions): PipelineContext {
  const { container } = pipelineServices(options);
  const host = container.get(TOKENS.fileHost);
  const specDir = host.resolve(host.base(), options.specDir ?? '.');
  bindSpec(container, options.registry, options.spec ?? {}, specDir, options.files ?? []);
  return new PipelineContext(container, pipelineState(options));
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

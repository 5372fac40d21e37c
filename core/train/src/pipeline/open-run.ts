import { dirname, resolve } from 'node:path';
import {
  consoleLogger,
  load,
  loadSpec,
  loadSpecPlugins,
  MemoryWeightStore,
  OrtBackend,
  composeContext,
  readPointer,
  readSpecFile,
  type LoadedSpec,
  type Logger,
  type PluginRegistry,
} from '@recur/runtime';
import { TrainErrors } from '../errors.js';
import type { BadRecordPolicy } from '../data/bad-records.js';
import type { ObjectiveDefinition, ObjectiveSetup } from './objective.js';
import { OBJECTIVES } from './objectives.js';
import type { TrainPipelineOptions } from './train-options.js';

type Json = Record<string, unknown>;

/** Everything `recur train` and `recur eval` share: the validated spec, its objective and the objective's setup. */
export interface OpenRun {
  readonly specText: string;
  /** The spec as pipelines load it (user overrides only, not training's Scan path): what `model_sha256` records. */
  readonly modelSpec: LoadedSpec['spec'];
  readonly specFile: string;
  readonly spec: Json;
  readonly loaded: LoadedSpec;
  readonly registry: PluginRegistry;
  readonly definition: ObjectiveDefinition;
  readonly objectiveName: string;
  readonly setup: ObjectiveSetup;
  readonly weightsPath: string;
  readonly backend: OrtBackend;
  readonly logger: Logger;
  readonly trainFiles: readonly string[];
  readonly onBadRecord: BadRecordPolicy;
}

/**
 * Validates the spec for training (`mode: 'train'`: encoders on their Scan path, data required) or
 * evaluation (`mode: 'eval'`: the spec as it ships, `data` is the evaluation set) and prepares the
 * objective's setup. Tokenizers are trained here when the spec asks and they do not exist yet.
 */
export async function openRun(
  specPath: string,
  options: TrainPipelineOptions,
  mode: 'train' | 'eval',
): Promise<OpenRun> {
  const logger = options.logger ?? consoleLogger('info');
  const cwd = options.cwd ?? process.cwd();
  const specFile = resolve(cwd, specPath);
  const specText = await readSpecFile(specFile);
  const specDir = dirname(specFile);
  const registry = await loadSpecPlugins(pluginList(specText), specDir, options.allowPlugins ?? [], options.registry);
  const userOverrides = [...(options.overrides ?? [])];
  const validate = (overrides: string[]) =>
    loadSpec(specText, {
      registry,
      specPath: specFile,
      purpose: mode === 'train' ? 'train' : 'run',
      overrides,
      ...(options.allowRoots ? { allowRoots: options.allowRoots } : {}),
    });
  const first = await validate(userOverrides);
  // Native recurrent operators have no gradient in ONNX Runtime: train every encoder on its Scan path.
  const loaded = mode === 'train' ? await validate([...userOverrides, ...scanOverrides(first, registry)]) : first;
  const spec = loaded.spec as Json;
  const train = (spec['train'] ?? {}) as Json;

  const taskPlugin = registry.resolve('task', String(spec['task']), '/task');
  const objectiveName = taskPlugin.objective;
  const definition = objectiveName !== undefined ? OBJECTIVES[objectiveName] : undefined;
  if (!definition || objectiveName === undefined) {
    throw TrainErrors.TASK_UNTRAINABLE(
      `task "${taskPlugin.type}" declares no training objective recur train knows${objectiveName ? ` ("${objectiveName}")` : ''}`,
      {
        pointer: '/task',
        expected: Object.keys(OBJECTIVES).join(', '),
      },
    );
  }

  const dataBlock = (train['data'] ?? {}) as Json;
  if (dataBlock['devBoundary'] === 'cast-change' && objectiveName !== 'language-model') {
    throw TrainErrors.DATA_OPTIONS(
      `train.data.devBoundary "cast-change" cuts the text of a language model; task "${taskPlugin.type}" trains on records (${objectiveName})`,
      {
        pointer: '/train/data/devBoundary',
        expected: 'devBoundary "line" (or no devBoundary) for this task',
      },
    );
  }
  const fromSpec = (key: string) =>
    typeof dataBlock[key] === 'string' ? [fileAt(loaded, `/train/data/${key}`, specDir, dataBlock[key])] : [];
  const given = options.data?.length ? options.data.map((f) => resolve(cwd, f)) : undefined;
  const trainFiles = mode === 'train' ? (given ?? fromSpec('train')) : [];
  const devFiles =
    mode === 'eval'
      ? (given ?? fromSpec('dev'))
      : options.dev?.length
        ? options.dev.map((f) => resolve(cwd, f))
        : fromSpec('dev');
  if (mode === 'train' && trainFiles.length === 0)
    throw TrainErrors.NO_DATA('no training data: pass --data FILE or set train.data.train in the spec', {
      pointer: '/train/data/train',
    });
  if (mode === 'eval' && devFiles.length === 0)
    throw TrainErrors.NO_DATA('no evaluation data: pass --data FILE or set train.data.dev in the spec', {
      pointer: '/train/data/dev',
    });
  const onBadRecord: BadRecordPolicy = (options.skipInvalid ?? dataBlock['skipInvalid'] === true) ? 'skip' : 'error';
  const seed = options.seed ?? numberOr(train['seed'], 0);
  const batchSize = options.batchSize ?? numberOr(train['batchSize'], 32);
  const threads = options.threads ?? numberOr((spec['runtime'] as Json | undefined)?.['threads'], 0);

  if (mode === 'train') {
    await definition.prepareTokenizers?.({
      spec,
      specDir,
      train: trainFiles,
      onBadRecord,
      logger,
      resolve: (pointer) => fileAt(loaded, pointer, specDir, String(readPointer(spec, pointer))),
    });
  }

  const weightsPath = fileAt(loaded, '/weights', specDir, String(spec['weights'] ?? 'weights.safetensors'));
  const backend = new OrtBackend({ logger });
  const ctx = composeContext({ registry, spec, specDir, files: loaded.files, backend, logger });
  const evalOverrides = [...userOverrides, `runtime.threads=${threads}`, 'runtime.maxWaitMs=0'];
  const setup: ObjectiveSetup = {
    spec,
    specPath: specFile,
    specDir,
    ctx,
    registry,
    train: trainFiles,
    dev: devFiles,
    mode,
    devFraction: mode === 'train' ? numberOr(dataBlock['devFraction'], 0) : 0,
    batchSize,
    seed,
    onBadRecord,
    logger,
    threads,
    onSkipped: (file, counts) => {
      logger.warn(`skipped records in ${file}`, { ...counts });
    },
    loadInference: (weights) =>
      load(specFile, {
        registry: options.registry,
        backend,
        logger,
        overrides: evalOverrides,
        weights: new MemoryWeightStore(new Map(weights), {}, 'training parameters'),
        allowPlugins: options.allowPlugins ?? [],
        ...(options.allowRoots ? { allowRoots: options.allowRoots } : {}),
      }),
  };
  return {
    specText,
    modelSpec: first.spec,
    specFile,
    spec,
    loaded,
    registry,
    definition,
    objectiveName,
    setup,
    weightsPath,
    backend,
    logger,
    trainFiles,
    onBadRecord,
  };
}

/** `--set <encoder>.path=scan` for every encoder whose plugin offers a `scan` path. */
function scanOverrides(loaded: LoadedSpec, registry: PluginRegistry): string[] {
  const out: string[] = [];
  for (const pointer of ['/encoder', '/source/encoder', '/target/encoder']) {
    const block = readPointer(loaded.spec, pointer) as Json | undefined;
    if (!block || typeof block['type'] !== 'string') continue;
    const plugin = registry.find('encoder', block['type']);
    const pathOption = ((plugin?.options['properties'] ?? {}) as Json)['path'] as Json | undefined;
    const values = (pathOption?.['enum'] ?? []) as unknown[];
    if (values.includes('scan')) out.push(`${pointer.slice(1).replace(/\//g, '.')}.path=scan`);
  }
  return out;
}

/** The absolute path validation resolved for a pointer, or the value resolved against the spec folder. */
export function fileAt(loaded: LoadedSpec, pointer: string, specDir: string, value: string): string {
  return loaded.files.find((f) => f.pointer === pointer)?.path ?? resolve(specDir, value);
}

function pluginList(text: string): readonly unknown[] {
  try {
    const list = (JSON.parse(text) as Json)['plugins'];
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

export function numberOr(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/**
 * Entry of a pipeline worker thread. It imports the registry module it was given, loads one
 * pipeline from its spec file, and then serves the main thread's `run`, `generate` and `cancel`
 * messages until `close`. Everything that computes happens here, off the server's event loop.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { load, type Logger, type Pipeline } from '@recur/runtime';
import { GenerationJobs } from './generation-jobs.js';
import { importRegistry } from './import-registry.js';
import { findPipelineFiles } from './pipeline-files.js';
import type { FromWorker, PipelineInfo, ToWorker, WorkerInit } from './protocol.js';
import { RunBatcher } from './run-batcher.js';
import { serializeError } from './serialize-error.js';
import { tokenCounterFor } from './token-counter.js';

const port = parentPort;
if (!port) throw new Error('worker-entry.js runs as a worker thread (new Worker), not as a script');
const init = workerData as WorkerInit;
/** Posts a message; a result that cannot be cloned (a function in it) fails its request instead. */
const post = (m: FromWorker): void => {
  try {
    port.postMessage(m);
  } catch (err) {
    if ('id' in m) port.postMessage({ type: 'failed', id: m.id, error: serializeError(err) } satisfies FromWorker);
    else throw err;
  }
};

/** Pipeline warnings (execution-provider fallback, ...) go to the server's log. */
const logger: Logger = {
  debug: (msg, data) => {
    post({ type: 'log', level: 'debug', msg, ...(data ? { data } : {}) });
  },
  info: (msg, data) => {
    post({ type: 'log', level: 'info', msg, ...(data ? { data } : {}) });
  },
  warn: (msg, data) => {
    post({ type: 'log', level: 'warn', msg, ...(data ? { data } : {}) });
  },
  error: (msg, data) => {
    post({ type: 'log', level: 'error', msg, ...(data ? { data } : {}) });
  },
};

/**
 * On Linux a nice value belongs to a thread, and pid 0 names the calling one: this lowers the
 * priority of this worker (and of the threads ONNX Runtime starts from it), not of the process.
 */
function lowerPriority(nice: number | undefined): void {
  if (process.platform !== 'linux' || !nice) return;
  try {
    setPriority(0, nice);
  } catch (err) {
    logger.warn("could not lower the worker thread's priority", { error: (err as Error).message });
  }
}

async function start(): Promise<void> {
  lowerPriority(init.nice);
  let pipeline: Pipeline;
  let runs: RunBatcher;
  let generations: GenerationJobs;
  let info: PipelineInfo;
  try {
    const registry = await importRegistry(init.registry);
    pipeline = await load(init.specPath, {
      registry,
      allowPlugins: [...init.allowPlugins],
      allowRoots: [...init.allowRoots],
      overrides: [...init.overrides],
      logger,
    });
    info = { ...describe(pipeline), files: await findPipelineFiles(init.specPath, registry, init.allowRoots, logger) };
    // Generation batches continuously in the task itself: its runs start at once.
    runs = new RunBatcher(pipeline, info.maxBatch, post, info.generates);
    let counter: ReturnType<typeof tokenCounterFor> | undefined;
    generations = new GenerationJobs(pipeline, () => (counter ??= tokenCounterFor(pipeline, registry, logger)), post);
  } catch (err) {
    post({ type: 'load-failed', error: serializeError(err) });
    port!.close();
    return;
  }

  port!.on('message', (m: ToWorker) => {
    switch (m.type) {
      case 'run':
        runs.submit(m.id, m.input, m.options);
        break;
      case 'generate':
        generations.start(m.id, m.prompt, m.settings);
        break;
      case 'cancel':
        if (!runs.cancel(m.id)) generations.cancel(m.id);
        break;
      case 'close':
        runs.cancelAll();
        generations.cancelAll();
        void pipeline.dispose().finally(() => {
          post({ type: 'closed' });
          port!.close();
        });
        break;
    }
  });
  post({ type: 'ready', info });
}

function describe(pipeline: Pipeline): Omit<PipelineInfo, 'files'> {
  const runtime = (pipeline.spec['runtime'] ?? {}) as Record<string, unknown>;
  const head = (pipeline.spec['head'] ?? {}) as Record<string, unknown>;
  const generate = (head['generate'] ?? {}) as Record<string, unknown>;
  return {
    name: pipeline.name,
    task: pipeline.task,
    maxBatch: typeof runtime['maxBatch'] === 'number' && runtime['maxBatch'] > 0 ? runtime['maxBatch'] : 64,
    generates: pipeline.task === 'text-generation',
    defaultMaxNewTokens: typeof generate['maxNewTokens'] === 'number' ? generate['maxNewTokens'] : undefined,
    maxInputTokens: typeof runtime['maxInputTokens'] === 'number' ? runtime['maxInputTokens'] : undefined,
  };
}

void start();

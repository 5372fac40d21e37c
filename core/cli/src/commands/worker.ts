import { resolve } from 'node:path';
import { load, RuntimeErrors as E, type PluginRegistry } from '@recur/runtime';
import { parse, positiveInt, SPEC_OPTIONS } from '../args.js';
import type { CommandIO } from '../io.js';
import { pipelineFingerprint } from '../queue/fingerprint.js';
import type { WorkerPipeline } from '../queue/queue-worker.js';
import { parseQueueUrl } from '../queue/queue-url.js';

export const USAGE =
  'recur worker SPEC... --queue redis://HOST:PORT[/DB] [--threads N] [--lock-ms MS] [--set path=value]... [--allow-plugin MODULE]... [--allow-root DIR]...';

/**
 * `recur worker`: runs the chunk jobs of `recur run --queue` for the given pipelines, and the trials
 * of `recur sweep --queue` on them, until SIGTERM or SIGINT; then it finishes its current job and
 * exits 0. Any number of workers, on any machines that have the pipelines' files, share the work.
 */
export async function workerCommand(argv: readonly string[], io: CommandIO, registry: PluginRegistry): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { ...SPEC_OPTIONS, queue: { type: 'string' }, threads: { type: 'string' }, 'lock-ms': { type: 'string' } },
    USAGE,
  );
  if (positionals.length === 0) throw E.USAGE(`give at least one spec file\nusage: ${USAGE}`, { expected: USAGE });
  if (values.queue === undefined) throw E.USAGE(`--queue is required\nusage: ${USAGE}`, { expected: USAGE });
  const address = parseQueueUrl(values.queue);
  const threads = values.threads !== undefined ? positiveInt('threads', values.threads, 1) : undefined;
  const lockMs = positiveInt('lock-ms', values['lock-ms'], 30_000, 100);
  const overrides = [...(values.set ?? []), ...(threads !== undefined ? [`runtime.threads=${threads}`] : [])];
  const loadOptions = {
    registry,
    allowPlugins: values['allow-plugin'] ?? [],
    ...(overrides.length > 0 ? { overrides } : {}),
    ...(values['allow-root'] ? { allowRoots: values['allow-root'].map((r) => resolve(io.cwd, r)) } : {}),
  };
  // BullMQ is loaded only by the commands that use it: it adds half a second to every start.
  const [{ openQueue }, { startQueueWorker }, { sweepTrialQueue }] = await Promise.all([
    import('../queue/queue-client.js'),
    import('../queue/queue-worker.js'),
    import('../sweep/sweep-worker.js'),
  ]);
  // Fail early, with a coded error, when Redis is not there.
  await (await openQueue('recur-probe', address)).close();

  const pipelines = new Map<string, WorkerPipeline>();
  const specs = new Map<string, string>();
  try {
    for (const spec of positionals) {
      const specPath = resolve(io.cwd, spec);
      const pipeline = await load(specPath, loadOptions);
      pipelines.set(pipeline.name, { pipeline, fingerprint: await pipelineFingerprint(pipeline) });
      specs.set(pipeline.name, specPath);
    }
    const log = (line: string) => io.stderr.write(`recur worker: ${line}\n`);
    const worker = startQueueWorker({
      address,
      pipelines,
      lockMs,
      log,
      extra: [...specs].map(([name, specPath]) =>
        sweepTrialQueue(name, specPath, {
          registry,
          log,
          allowPlugins: values['allow-plugin'] ?? [],
          ...(threads !== undefined ? { threads } : {}),
        }),
      ),
    });
    io.stderr.write(`recur worker: taking jobs from ${address.label} for ${[...pipelines.keys()].join(', ')}\n`);
    const signal = await new Promise<string>((done) => {
      process.once('SIGTERM', () => {
        done('SIGTERM');
      });
      process.once('SIGINT', () => {
        done('SIGINT');
      });
    });
    io.stderr.write(`recur worker: ${signal}: finishing the current job, then stopping\n`);
    await worker.close();
    return 0;
  } finally {
    await Promise.all([...pipelines.values()].map((p) => p.pipeline.dispose()));
  }
}

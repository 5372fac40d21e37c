import { resolve } from 'node:path';
import { consoleLogger, RuntimeErrors as E, type PluginRegistry } from '@recur/runtime';
import { trainPipeline } from '@recur/train';
import { parse, positional, SPEC_OPTIONS } from '../args.js';
import { reportFailure, type CommandIO } from '../io.js';

export const USAGE =
  'recur train SPEC [--data FILE [--data FILE2]] [--dev FILE]... [--out DIR] [--epochs N] [--batch-size N] [--seed S] [--threads N] [--resume] [--init-from WEIGHTS] [--max-steps N] [--skip-invalid] [--set path=value]...';

/**
 * `recur train`: trains the spec's weights (see @recur/train trainPipeline). Ctrl-C stops after the
 * current step and leaves a checkpoint; `--resume` continues from it exactly.
 */
export async function trainCommand(argv: readonly string[], io: CommandIO, registry: PluginRegistry): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    io.stderr.write('\nstopping after this step (Ctrl-C again to quit at once)...\n');
    controller.abort();
  };
  // SIGTERM (a service manager, a container stop) stops as Ctrl-C does: after the current step, with
  // a checkpoint, rather than mid-write with a temporary file left behind.
  const onSigterm = () => {
    io.stderr.write('\nSIGTERM: stopping after this step...\n');
    controller.abort();
  };
  try {
    const { values, positionals } = parse(
      argv,
      {
        ...SPEC_OPTIONS,
        data: { type: 'string', multiple: true },
        dev: { type: 'string', multiple: true },
        out: { type: 'string' },
        epochs: { type: 'string' },
        'batch-size': { type: 'string' },
        seed: { type: 'string' },
        threads: { type: 'string' },
        resume: { type: 'boolean' },
        'init-from': { type: 'string' },
        'max-steps': { type: 'string' },
        'skip-invalid': { type: 'boolean' },
      },
      USAGE,
    );
    const spec = positional(positionals, 'spec file', USAGE);
    const int = (name: string, v: string | undefined, min: number) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < min)
        throw E.USAGE(`--${name} must be an integer >= ${min}, got ${v}`, { expected: `integer >= ${min}` });
      return n;
    };
    const epochs = int('epochs', values.epochs, 1);
    const batchSize = int('batch-size', values['batch-size'], 1);
    const seed = int('seed', values.seed, 0);
    const threads = int('threads', values.threads, 0);
    const maxSteps = int('max-steps', values['max-steps'], 1);
    process.once('SIGINT', onSigint);
    process.once('SIGTERM', onSigterm);
    const result = await trainPipeline(spec, {
      registry,
      cwd: io.cwd,
      logger: consoleLogger('info', io.stderr),
      progress: io.stderr,
      signal: controller.signal,
      command: `recur train ${argv.join(' ')}`,
      allowPlugins: values['allow-plugin'] ?? [],
      ...(values['allow-root'] ? { allowRoots: values['allow-root'].map((r) => resolve(io.cwd, r)) } : {}),
      ...(values.set ? { overrides: values.set } : {}),
      ...(values.data ? { data: values.data } : {}),
      ...(values.dev ? { dev: values.dev } : {}),
      ...(values.out ? { out: values.out } : {}),
      ...(epochs !== undefined ? { epochs } : {}),
      ...(batchSize !== undefined ? { batchSize } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(threads !== undefined ? { threads } : {}),
      ...(maxSteps !== undefined ? { maxSteps } : {}),
      ...(values.resume ? { resume: true } : {}),
      ...(values['init-from'] ? { initFrom: values['init-from'] } : {}),
      ...(values['skip-invalid'] ? { skipInvalid: true } : {}),
    });
    const summary = { ...result, best: result.best ?? null };
    if (values.json) io.stdout.write(JSON.stringify(summary) + '\n');
    else {
      io.stdout.write(
        `${result.interrupted ? 'stopped' : 'done'} after ${result.steps} steps in ${result.seconds.toFixed(0)} s; weights: ${result.weights}\n`,
      );
      if (result.best)
        io.stdout.write(
          `best dev ${result.best.metric}: ${result.best.value.toFixed(4)} (epoch ${result.best.epoch})\n`,
        );
      if (result.interrupted) io.stdout.write(`checkpoint: ${result.checkpoint} (continue with --resume)\n`);
    }
    return 0;
  } catch (err) {
    return reportFailure(err, io, argv.includes('--json'));
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}

import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { RecurError, RuntimeErrors as RE, type PluginRegistry } from '@recur/runtime';
import { canonicalJson } from '@recur/runtime/internal';
import { parse, positional, positiveInt, SPEC_OPTIONS } from '../args.js';
import { QueueErrors as E } from '../errors.js';
import type { CommandIO } from '../io.js';
import { parseQueueUrl } from '../queue/queue-url.js';
import { sweepSettings, describeSetting } from '../sweep/grid.js';
import { rank, renderLeaderboard, trialFailure, writeSweepReport, type TrialOutcome } from '../sweep/leaderboard.js';
import { runTrial, type TrialSpec } from '../sweep/run-trial.js';
import { specFileHash } from '../sweep/sweep-queue.js';

export const USAGE =
  'recur sweep SPEC --data FILE [--dev FILE] --grid path=v1,v2 [--grid ...] [--random N [--seed S]] [--queue redis://HOST:PORT[/DB]] --out DIR [--epochs N] [--threads N] [--json] [--set path=value]...';

/**
 * `recur sweep`: one training per setting of the grids (or `--random N` of them), each in its own
 * folder under `--out` with its checkpoint. Locally the trials run one after another; with `--queue`
 * they are jobs that `recur worker` processes take, and a trial whose worker died continues from its
 * checkpoint on another (so `--out` must be a folder every worker reaches). Started again with the
 * same command, a sweep skips finished trials. Writes the leaderboard and the winning spec.
 */
export async function sweepCommand(argv: readonly string[], io: CommandIO, registry: PluginRegistry): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      ...SPEC_OPTIONS,
      data: { type: 'string', multiple: true },
      dev: { type: 'string', multiple: true },
      grid: { type: 'string', multiple: true },
      random: { type: 'string' },
      seed: { type: 'string' },
      queue: { type: 'string' },
      out: { type: 'string' },
      epochs: { type: 'string' },
      threads: { type: 'string' },
    },
    USAGE,
  );
  const specPath = resolve(io.cwd, positional(positionals, 'spec file', USAGE));
  if (!values.data) throw RE.USAGE(`--data is required\nusage: ${USAGE}`, { expected: USAGE });
  if (!values.out)
    throw RE.USAGE(`--out DIR is required (each trial gets a folder in it)\nusage: ${USAGE}`, { expected: USAGE });
  if (values.seed !== undefined && values.random === undefined)
    throw RE.USAGE(`--seed draws the --random trials; give --random N too\nusage: ${USAGE}`, { expected: USAGE });
  const random =
    values.random !== undefined
      ? { count: positiveInt('random', values.random, 1), seed: positiveInt('seed', values.seed, 0, 0) }
      : undefined;
  const settings = sweepSettings(values.grid ?? [], random);
  const out = resolve(io.cwd, values.out);
  const epochs = values.epochs !== undefined ? positiveInt('epochs', values.epochs, 1) : undefined;
  const threads = values.threads !== undefined ? positiveInt('threads', values.threads, 1, 0) : undefined;
  const hash = await specFileHash(specPath);
  const base = {
    data: values.data.map((d) => resolve(io.cwd, d)),
    dev: (values.dev ?? []).map((d) => resolve(io.cwd, d)),
    out,
    overrides: values.set ?? [],
    specHash: hash,
    ...(epochs !== undefined ? { epochs } : {}),
  };
  const sweepId = createHash('sha256')
    .update(canonicalJson({ ...base, settings }))
    .digest('hex')
    .slice(0, 16);
  const trials: TrialSpec[] = settings.map((setting, index) => ({ ...base, sweepId, index, setting }));
  const log = (line: string) => io.stderr.write(`recur sweep: ${line}\n`);
  log(
    `${trials.length} trial${trials.length === 1 ? '' : 's'} into ${values.out}${values.queue ? ` as jobs on ${parseQueueUrl(values.queue).label}` : ', one after another'}`,
  );

  // BullMQ is loaded only by the commands that use it: it adds half a second to every start.
  const outcomes = values.queue
    ? await (
        await import('../sweep/sweep-on-workers.js')
      ).runOnWorkers(trials, specPath, parseQueueUrl(values.queue), log)
    : await runLocally(trials, specPath, {
        registry,
        log,
        allowPlugins: values['allow-plugin'] ?? [],
        ...(threads !== undefined ? { threads } : {}),
      });
  const ranked = rank(outcomes);
  const best = await writeSweepReport(out, specPath, registry, base.overrides, ranked);
  if (values.json)
    io.stdout.write(
      JSON.stringify({ leaderboard: ranked.map((o) => (o.ok ? o.result : o)), bestSpec: best ?? null }) + '\n',
    );
  else io.stdout.write(renderLeaderboard(ranked) + (best ? `winning spec: ${best}\n` : ''));
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length > 0) {
    const first = failed[0];
    throw E.TRIAL_FAILED(
      `${failed.length} of ${outcomes.length} trials failed; trial ${first.index} (${describeSetting(first.setting)}): ${first.code} ${first.message}`,
      { trial: first.index, cause: first.code },
    );
  }
  return 0;
}

async function runLocally(
  trials: readonly TrialSpec[],
  specPath: string,
  env: Parameters<typeof runTrial>[2],
): Promise<TrialOutcome[]> {
  const outcomes: TrialOutcome[] = [];
  for (const trial of trials) {
    try {
      outcomes.push({ ok: true, result: await runTrial(specPath, trial, env) });
    } catch (err) {
      if (!RecurError.is(err)) throw err;
      outcomes.push(trialFailure(trial, err));
    }
  }
  return outcomes;
}

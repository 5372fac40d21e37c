import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Job } from 'bullmq';
import { canonicalJson, RecurError, RuntimeErrors as RE, type PluginRegistry } from '@recur/runtime';
import { parse, positional, positiveInt, SPEC_OPTIONS } from '../args.js';
import { QueueErrors as E } from '../errors.js';
import { errorList, type CommandIO } from '../io.js';
import { decodeError } from '../queue/chunk-job.js';
import { openQueue } from '../queue/queue-client.js';
import { parseQueueUrl } from '../queue/queue-url.js';
import { sweepSettings, describeSetting } from '../sweep/grid.js';
import { rank, renderLeaderboard, writeSweepReport, type TrialOutcome } from '../sweep/leaderboard.js';
import { runTrial, type TrialSpec } from '../sweep/run-trial.js';
import { specFileHash, sweepQueueName } from '../sweep/sweep-worker.js';

export const USAGE =
  'recur sweep SPEC --data FILE [--dev FILE] --grid path=v1,v2 [--grid ...] [--random N [--seed S]] [--queue redis://HOST:PORT[/DB]] --out DIR [--epochs N] [--threads N] [--json] [--set path=value]...';

const POLL_MS = 250;

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
      data: { type: 'string', multiple: true }, dev: { type: 'string', multiple: true }, grid: { type: 'string', multiple: true },
      random: { type: 'string' }, seed: { type: 'string' }, queue: { type: 'string' }, out: { type: 'string' }, epochs: { type: 'string' }, threads: { type: 'string' },
    },
    USAGE,
  );
  const specPath = resolve(io.cwd, positional(positionals, 'spec file', USAGE));
  if (!values.data) throw RE.USAGE(`--data is required\nusage: ${USAGE}`, { expected: USAGE });
  if (!values.out) throw RE.USAGE(`--out DIR is required (each trial gets a folder in it)\nusage: ${USAGE}`, { expected: USAGE });
  if (values.seed !== undefined && values.random === undefined) throw RE.USAGE(`--seed draws the --random trials; give --random N too\nusage: ${USAGE}`, { expected: USAGE });
  const random = values.random !== undefined ? { count: positiveInt('random', values.random, 1), seed: positiveInt('seed', values.seed, 0, 0) } : undefined;
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
  const sweepId = createHash('sha256').update(canonicalJson({ ...base, settings })).digest('hex').slice(0, 16);
  const trials: TrialSpec[] = settings.map((setting, index) => ({ ...base, sweepId, index, setting }));
  const log = (line: string) => io.stderr.write(`recur sweep: ${line}\n`);
  log(`${trials.length} trial${trials.length === 1 ? '' : 's'} into ${values.out}${values.queue ? ` as jobs on ${parseQueueUrl(values.queue).label}` : ', one after another'}`);

  const outcomes = values.queue
    ? await runOnWorkers(trials, specPath, parseQueueUrl(values.queue), log)
    : await runLocally(trials, specPath, { registry, log, allowPlugins: values['allow-plugin'] ?? [], ...(threads !== undefined ? { threads } : {}) });
  const ranked = rank(outcomes);
  const best = await writeSweepReport(out, specPath, registry, base.overrides, ranked);
  if (values.json) io.stdout.write(JSON.stringify({ leaderboard: ranked.map((o) => (o.ok ? o.result : o)), bestSpec: best ?? null }) + '\n');
  else io.stdout.write(renderLeaderboard(ranked) + (best ? `winning spec: ${best}\n` : ''));
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length > 0) {
    const first = failed[0] as Extract<TrialOutcome, { ok: false }>;
    throw E.TRIAL_FAILED(`${failed.length} of ${outcomes.length} trials failed; trial ${first.index} (${describeSetting(first.setting)}): ${first.code} ${first.message}`, { trial: first.index, cause: first.code });
  }
  return 0;
}

async function runLocally(trials: readonly TrialSpec[], specPath: string, env: Parameters<typeof runTrial>[2]): Promise<TrialOutcome[]> {
  const outcomes: TrialOutcome[] = [];
  for (const trial of trials) {
    try {
      outcomes.push({ ok: true, result: await runTrial(specPath, trial, env) });
    } catch (err) {
      if (!RecurError.is(err)) throw err;
      outcomes.push(failure(trial, err));
    }
  }
  return outcomes;
}

/** Adds the trials as jobs (ids from the sweep, so a restarted sweep adds none twice) and waits for all. */
async function runOnWorkers(trials: readonly TrialSpec[], specPath: string, address: ReturnType<typeof parseQueueUrl>, log: (line: string) => void): Promise<TrialOutcome[]> {
  const name = (JSON.parse(await readFile(specPath, 'utf8')) as { name?: string }).name ?? '';
  const queue = await openQueue(sweepQueueName(name), address);
  try {
    const ids = trials.map((t) => `${t.sweepId}-${t.index}`);
    for (const [i, trial] of trials.entries()) {
      await queue.add(`trial ${trial.index}`, trial, { jobId: ids[i]!, attempts: 2, removeOnComplete: false, removeOnFail: false });
    }
    const outcomes = new Map<number, TrialOutcome>();
    while (outcomes.size < trials.length) {
      for (const [i, trial] of trials.entries()) {
        if (outcomes.has(i)) continue;
        const state = await queue.getJobState(ids[i]!);
        if (state !== 'completed' && state !== 'failed') continue;
        const job = await Job.fromId(queue, ids[i]!);
        const outcome: TrialOutcome =
          state === 'completed' && job
            ? { ok: true, result: job.returnvalue }
            : failure(trial, decodeError(job?.failedReason) ?? E.TRIAL_FAILED(`trial ${trial.index} failed on its workers: ${job?.failedReason ?? 'no reason recorded'}`, {}));
        outcomes.set(i, outcome);
        log(`trial ${trial.index} ${outcome.ok ? 'done' : 'failed'} (${outcomes.size}/${trials.length})`);
      }
      if (outcomes.size < trials.length) await new Promise((r) => setTimeout(r, POLL_MS));
    }
    for (const id of ids) await queue.remove(id);
    return trials.map((_, i) => outcomes.get(i)!);
  } finally {
    await queue.close();
  }
}

function failure(trial: TrialSpec, err: RecurError): TrialOutcome {
  const [first] = errorList(err);
  return { ok: false, index: trial.index, setting: trial.setting, code: err.code, message: String(first?.['message'] ?? err.message) };
}

import { readFile } from 'node:fs/promises';
import { Job } from 'bullmq';
import { QueueErrors as E } from '../errors.js';
import { decodeError } from '../queue/chunk-job.js';
import { openQueue } from '../queue/queue-client.js';
import type { QueueAddress } from '../queue/queue-url.js';
import { trialFailure, type TrialOutcome } from './leaderboard.js';
import type { TrialResult, TrialSpec } from './run-trial.js';
import { sweepQueueName } from './sweep-queue.js';

const POLL_MS = 250;

/** Adds the trials as jobs (ids from the sweep, so a restarted sweep adds none twice) and waits for all. */
export async function runOnWorkers(
  trials: readonly TrialSpec[],
  specPath: string,
  address: QueueAddress,
  log: (line: string) => void,
): Promise<TrialOutcome[]> {
  const name = (JSON.parse(await readFile(specPath, 'utf8')) as { name?: string }).name ?? '';
  const queue = await openQueue(sweepQueueName(name), address);
  try {
    const ids = trials.map((t) => `${t.sweepId}-${t.index}`);
    for (const [i, trial] of trials.entries()) {
      await queue.add(`trial ${trial.index}`, trial, {
        jobId: ids[i],
        attempts: 2,
        removeOnComplete: false,
        removeOnFail: false,
      });
    }
    const outcomes = new Map<number, TrialOutcome>();
    while (outcomes.size < trials.length) {
      for (const [i, trial] of trials.entries()) {
        if (outcomes.has(i)) continue;
        const state = await queue.getJobState(ids[i]);
        if (state !== 'completed' && state !== 'failed') continue;
        const job = await Job.fromId<unknown, TrialResult>(queue, ids[i]);
        const outcome: TrialOutcome =
          state === 'completed' && job
            ? { ok: true, result: job.returnvalue }
            : trialFailure(
                trial,
                decodeError(job?.failedReason) ??
                  E.TRIAL_FAILED(
                    `trial ${trial.index} failed on its workers: ${job?.failedReason ?? 'no reason recorded'}`,
                    {},
                  ),
              );
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

import { UnrecoverableError, type Job } from 'bullmq';
import { RecurError } from '@recur/runtime';
import { QueueErrors as E } from '../errors.js';
import { encodeError } from '../queue/chunk-job.js';
import type { ExtraQueue } from '../queue/queue-worker.js';
import { runTrial, type TrialEnvironment, type TrialSpec } from './run-trial.js';
import { specFileHash, sweepQueueName } from './sweep-queue.js';

/**
 * The trial queue a `recur worker` takes jobs from for one of its specs. A trial whose spec differs
 * from this worker's file is refused (it goes back to the queue); a trial with a coded error (bad
 * data, a bad setting) fails for good; a worker that dies leaves the trial's checkpoint, from which
 * the worker that takes the stalled job continues.
 */
export function sweepTrialQueue(pipeline: string, specPath: string, env: TrialEnvironment): ExtraQueue {
  const mine = specFileHash(specPath);
  return {
    name: sweepQueueName(pipeline),
    process: async (job: Job, token: string | undefined, refuse) => {
      const trial = job.data as TrialSpec;
      if ((await mine) !== trial.specHash) {
        const err = E.FINGERPRINT_MISMATCH(
          `refused trial ${trial.index} of sweep ${trial.sweepId}: this worker's ${specPath} is not the spec the sweep was started with. The job went back to the queue`,
          { file: specPath, expected: 'the same spec file on every worker' },
        );
        return refuse(job, token, `${err.code} ${err.message}`);
      }
      try {
        return await runTrial(specPath, trial, env);
      } catch (err) {
        if (RecurError.is(err) && err.exitCode === 1) {
          env.log(`trial ${trial.index} failed: ${err.code} ${err.message}`);
          throw new UnrecoverableError(encodeError(err));
        }
        throw err;
      }
    },
  };
}

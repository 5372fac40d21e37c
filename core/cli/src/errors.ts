import { defineErrors } from '@recur/runtime';

/**
 * The error table of @recur/cli: the distributed commands (`recur run --queue`, `recur worker`,
 * `recur sweep`). Importing this module registers it for the generated error reference.
 */
export const QueueErrors = defineErrors('@recur/cli', {
  URL_INVALID: {
    code: 'RECUR_E_QUEUE_URL_INVALID',
    description:
      'The `--queue` value is not a Redis URL of the form `redis://HOST:PORT[/DB]` (a password may come as `redis://:PASSWORD@HOST:PORT`).',
    exitCode: 2,
  },
  UNREACHABLE: {
    code: 'RECUR_E_QUEUE_UNREACHABLE',
    description:
      'Redis did not answer at the `--queue` address when the command started; start it, or check the host, port and password.',
  },
  FINGERPRINT_MISMATCH: {
    code: 'RECUR_E_QUEUE_FINGERPRINT_MISMATCH',
    description:
      "A worker refused a job because its copy of the pipeline (the filled spec or the weights file) differs from the producer's; the job went back to the queue for another worker. Give every worker the same files.",
  },
  NO_PIPELINE: {
    code: 'RECUR_E_QUEUE_NO_PIPELINE',
    description:
      'A worker took a job for a pipeline it was not started with; the job went back to the queue. Start a worker with that spec.',
  },
  CHUNK_FAILED: {
    code: 'RECUR_E_QUEUE_CHUNK_FAILED',
    description:
      "A chunk failed on a worker for a reason that is not a coded input error (after its retries); the worker's log has the details.",
    exitCode: 3,
  },
  GRID_INVALID: {
    code: 'RECUR_E_SWEEP_GRID_INVALID',
    description:
      'A `--grid path=v1,v2` of `recur sweep` is malformed, repeats a path, or no setting could be made from the grids; values are JSON where they parse, else strings.',
    exitCode: 2,
  },
  TRIAL_FAILED: {
    code: 'RECUR_E_SWEEP_TRIAL_FAILED',
    description: 'A sweep trial failed; the leaderboard lists it with its error code, and the other trials still ran.',
  },
});

import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { RecurError, type Pipeline } from '@recur/runtime';
import { QueueErrors as E } from '../errors.js';
import { runChunk, runQueueName, encodeError, type ChunkJobData } from './chunk-job.js';
import { fingerprintDifferences, type PipelineFingerprint } from './fingerprint.js';
import { connectionOptions, type QueueAddress } from './queue-url.js';

/** A pipeline a worker runs, with the fingerprint jobs must match. */
export interface WorkerPipeline {
  readonly pipeline: Pipeline;
  readonly fingerprint: PipelineFingerprint;
}

/** A queue this worker takes jobs from besides the pipelines' chunk queues (sweep trials). */
export interface ExtraQueue {
  readonly name: string;
  /** Runs a job; `refuse` puts it back for another worker (logged) and steps this worker back. */
  readonly process: (job: Job, token: string | undefined, refuse: Refuse) => Promise<unknown>;
}

export interface QueueWorkerOptions {
  readonly address: QueueAddress;
  readonly pipelines: ReadonlyMap<string, WorkerPipeline>;
  readonly extra?: readonly ExtraQueue[];
  /**
   * How long a job's lock lasts without renewal (the worker renews it at half this). A worker that
   * died is noticed this long after, at most twice this, and its job goes to another worker.
   */
  readonly lockMs: number;
  /** One line per event (chunk done, refusal, Redis trouble). */
  readonly log: (line: string) => void;
}

/** How long a refused job waits before a worker may take it again. */
const REFUSAL_DELAY_MS = 1000;
/** How long a worker that refused a job takes none from that queue, so that matching workers get it. */
const REFUSAL_PAUSE_MS = 5000;

/** The worker that runs a job, so that a refusal can step it back for a while. */
export type Refuse = (job: Job, token: string | undefined, message: string) => Promise<never>;

/**
 * `recur worker`: one BullMQ Worker per queue (a pipeline's chunks, sweep trials), one job at a
 * time each. A chunk whose fingerprint differs from this worker's copy of the pipeline is refused
 * with RECUR_E_QUEUE_FINGERPRINT_MISMATCH and goes back to the queue; a bad input line fails its
 * chunk at once (no retry) with the same coded error as a local run.
 */
export function startQueueWorker(options: QueueWorkerOptions): { close(): Promise<void> } {
  const { log } = options;
  const make = (name: string, process: (job: Job, token: string | undefined, refuse: Refuse) => Promise<unknown>) => {
    const refuse: Refuse = async (job, token, message) => {
      log(message);
      await job.log(message);
      await job.moveToDelayed(Date.now() + REFUSAL_DELAY_MS, token);
      // Stop taking jobs from this queue for a while (this worker only), then take them again.
      void worker.pause(true).then(() =>
        setTimeout(() => {
          worker.resume();
        }, REFUSAL_PAUSE_MS).unref(),
      );
      throw new DelayedError();
    };
    const worker: Worker = new Worker(name, (job, token) => process(job, token, refuse), {
      connection: connectionOptions(options.address),
      concurrency: 1,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      // A chunk whose worker died is run again; only one that keeps killing its workers fails.
      maxStalledCount: 3,
    });
    let lastError = '';
    worker.on('error', (err) => {
      // ioredis repeats the same connection error on every retry while Redis is down: log changes only.
      if (err.message !== lastError) log(`redis: ${err.message} (retrying)`);
      lastError = err.message;
    });
    worker.on('ready', () => {
      if (lastError) log('redis: connected again');
      lastError = '';
    });
    return worker;
  };
  const workers = [...options.pipelines.entries()].map(([name, mine]) =>
    make(runQueueName(name), (job, token, refuse) => processChunk(job as Job<ChunkJobData>, token, mine, log, refuse)),
  );
  for (const extra of options.extra ?? []) workers.push(make(extra.name, extra.process));
  return {
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

async function processChunk(
  job: Job<ChunkJobData>,
  token: string | undefined,
  mine: WorkerPipeline,
  log: (line: string) => void,
  refuse: Refuse,
): Promise<string> {
  const data = job.data;
  const lines = `lines ${data.firstLine}-${data.firstLine + data.lines.length - 1}`;
  const differences = fingerprintDifferences(mine.fingerprint, data.fingerprint);
  if (differences.length > 0) {
    const err = E.FINGERPRINT_MISMATCH(
      `refused chunk ${job.id} of ${data.file} (${lines}): this worker's copy of "${data.pipeline}" is not the producer's: ${differences.join('; ')}. The job went back to the queue`,
      { pipeline: data.pipeline, expected: 'the same spec and weights file on every worker' },
    );
    return refuse(job, token, `${err.code} ${err.message}`);
  }
  log(`chunk ${job.id} (${lines}) started`);
  const began = performance.now();
  try {
    const out = await runChunk(mine.pipeline, data);
    log(`chunk ${job.id} (${lines}) done in ${Math.round(performance.now() - began)} ms`);
    return out;
  } catch (err) {
    // Bad input fails the chunk for good: another attempt would meet the same line.
    if (RecurError.is(err) && err.exitCode === 1) {
      log(`chunk ${job.id} (${lines}) failed: ${err.code} ${err.message}`);
      throw new UnrecoverableError(encodeError(err));
    }
    log(`chunk ${job.id} (${lines}) failed (will be retried): ${(err as Error).message}`);
    throw err;
  }
}

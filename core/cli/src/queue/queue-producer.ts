import { createHash } from 'node:crypto';
import { open, rename } from 'node:fs/promises';
import { Job, type Queue } from 'bullmq';
import { RecurError } from '@recur/runtime';
import { canonicalJson } from '@recur/runtime/internal';
import { QueueErrors as E } from '../errors.js';
import { inputFormat, readJsonArrayInputs, readRawLines } from '../inputs.js';
import { decodeError, runQueueName, type ChunkJobData } from './chunk-job.js';
import { fileSha256, type PipelineFingerprint } from './fingerprint.js';
import { ProgressLine } from './progress-line.js';
import { openQueue } from './queue-client.js';
import type { QueueAddress } from './queue-url.js';
import { ResumeFiles } from './resume-state.js';

export interface QueueRunOptions {
  readonly address: QueueAddress;
  readonly pipeline: string;
  readonly fingerprint: PipelineFingerprint;
  /** Absolute input path; chunk errors name it as a local run does. */
  readonly input: string;
  readonly output: string;
  /** Lines per chunk job. */
  readonly chunk: number;
  /** Most chunks in Redis at once (queued, running, or done but not yet written). */
  readonly inFlight: number;
  readonly options: Record<string, unknown>;
  readonly progress: { write(s: string): unknown; isTTY?: boolean };
}

/** Retries for chunks that fail for other reasons than their input (a worker's fault). */
const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'fixed', delay: 1000 },
  removeOnComplete: false,
  removeOnFail: false,
} as const;
const POLL_MS = 100;

type Settled = { readonly ok: true; readonly jsonl: string } | { readonly ok: false; readonly error: RecurError };

/**
 * The producer of `recur run --queue`: splits the input into chunk jobs (ids derived from the run,
 * so adding one twice is a no-op), keeps at most `inFlight` of them in Redis, and appends their
 * results to the output in input order as they complete, recording its progress beside the output.
 * Killed and started again with the same command, it resumes: chunks already written are skipped and
 * chunks completed in Redis meanwhile are read, not run again. A chunk that fails with a coded input
 * error (a bad line) does not stop the others; the run then ends with that error and writes no output.
 */
export async function runOnQueue(o: QueueRunOptions): Promise<number> {
  const format = inputFormat(o.input);
  const summary = await summarize(o.input, format);
  const runId = createHash('sha256')
    .update(canonicalJson({ fp: o.fingerprint, input: summary.sha256, chunk: o.chunk, options: o.options }))
    .digest('hex')
    .slice(0, 20);
  const files = new ResumeFiles(o.output);
  const resumed = await files.resume(runId);
  let written = resumed ?? { runId, chunksWritten: 0, linesWritten: 0, bytes: 0 };
  if (!resumed) await files.remove();
  const totalChunks = Math.ceil(summary.lines / o.chunk);
  if (resumed) o.progress.write(`resuming: ${resumed.chunksWritten} of ${totalChunks} chunks already written\n`);

  const queue = await openQueue(runQueueName(o.pipeline), o.address);
  const out = await open(files.partial, 'a');
  const progress = new ProgressLine(o.progress, totalChunks, summary.lines, written.linesWritten);
  const window: { id: string; data: ChunkJobData }[] = [];
  const errors: RecurError[] = [];
  let completed = written.chunksWritten;
  const jobId = (k: number) => `${runId}-${k}`;

  /** Waits for the oldest chunk in flight, then writes it (or records its error). */
  const settleOldest = async () => {
    const { id, data } = window.shift()!;
    const result = await settle(queue, id, data, o.progress);
    if (!result.ok) {
      errors.push(result.error);
      await queue.remove(id);
      return;
    }
    completed++;
    if (errors.length === 0) {
      await out.write(result.jsonl);
      await out.datasync();
      written = {
        runId,
        chunksWritten: written.chunksWritten + 1,
        linesWritten: written.linesWritten + data.lines.length,
        bytes: written.bytes + Buffer.byteLength(result.jsonl),
      };
      await files.save(written);
    }
    await queue.remove(id);
    progress.update(completed, written.linesWritten);
  };

  try {
    let k = 0;
    for await (const data of chunks(o, format, summary.jsonItems)) {
      const index = k++;
      if (index < written.chunksWritten) continue;
      const id = jobId(index);
      await queue.add(`chunk ${index}`, data, { ...JOB_OPTIONS, jobId: id });
      window.push({ id, data });
      if (window.length >= o.inFlight) await settleOldest();
    }
    while (window.length > 0) await settleOldest();
    progress.update(completed, written.linesWritten, true);
    await out.close();
    if (errors.length > 0) {
      o.progress.write(`${completed} of ${totalChunks} chunks completed; ${errors.length} failed\n`);
      await files.remove();
      throw errors[0];
    }
    await rename(files.partial, o.output);
    await files.remove();
    return written.linesWritten;
  } finally {
    await out.close().catch(() => undefined);
    await queue.close();
  }
}

/** The input's chunks as job data, in order. */
async function* chunks(
  o: QueueRunOptions,
  format: ReturnType<typeof inputFormat>,
  jsonItems: readonly string[] | undefined,
): AsyncGenerator<ChunkJobData> {
  const base = { pipeline: o.pipeline, fingerprint: o.fingerprint, file: o.input, options: o.options };
  let lines: string[] = [];
  let first = 1;
  // A .json array is read (and checked) whole here; its items travel as JSONL strings.
  const source = jsonItems ? jsonItems.map((t, i) => ({ line: i + 1, raw: JSON.stringify(t) })) : readRawLines(o.input);
  for await (const { line, raw } of source) {
    if (lines.length === 0) first = line;
    lines.push(raw);
    if (lines.length === o.chunk) {
      yield { ...base, format: format === 'text' ? 'text' : 'jsonl', firstLine: first, lines };
      lines = [];
    }
  }
  if (lines.length > 0) yield { ...base, format: format === 'text' ? 'text' : 'jsonl', firstLine: first, lines };
}

/** The input's hash (part of the run id, so a changed input never resumes) and its number of inputs. */
async function summarize(
  input: string,
  format: ReturnType<typeof inputFormat>,
): Promise<{ sha256: string; lines: number; jsonItems?: string[] }> {
  const sha256 = await fileSha256(input);
  if (format === 'json') {
    const items = await readJsonArrayInputs(input);
    return { sha256, lines: items.length, jsonItems: items };
  }
  let lines = 0;
  for await (const _ of readRawLines(input)) lines++;
  return { sha256, lines };
}

/**
 * Polls one chunk until it completed or failed for good. A chunk that vanished from Redis (one
 * restarted without persistence) is added again. Refusals workers logged on the job are shown once.
 */
async function settle(
  queue: Queue,
  id: string,
  data: ChunkJobData,
  progress: { write(s: string): unknown },
): Promise<Settled> {
  let logsSeen = 0;
  let polls = 0;
  // The first refusal of a chunk is shown (workers log every one): while waiting, and once more at
  // the end, since a refused chunk may be done by another worker before the next look.
  const showRefusals = async () => {
    const { logs } = await queue.getJobLogs(id, logsSeen, -1);
    if (logsSeen === 0 && logs[0] !== undefined) progress.write(`worker: ${logs[0]}\n`);
    logsSeen += logs.length;
  };
  for (;;) {
    const state = await queue.getJobState(id);
    if (state === 'completed' || state === 'failed') {
      await showRefusals();
      const job = await Job.fromId(queue, id);
      if (job && state === 'completed') return { ok: true, jsonl: job.returnvalue as string };
      const reason = job?.failedReason;
      const error =
        decodeError(reason) ??
        E.CHUNK_FAILED(
          `chunk ${id} (lines ${data.firstLine}-${data.firstLine + data.lines.length - 1} of ${data.file}) failed on its workers: ${reason ?? 'no reason recorded'}`,
          { file: data.file, line: data.firstLine },
        );
      return { ok: false, error };
    }
    if (state === 'unknown') await queue.add(`chunk ${id}`, data, { ...JOB_OPTIONS, jobId: id });
    if (++polls % 10 === 0) await showRefusals();
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

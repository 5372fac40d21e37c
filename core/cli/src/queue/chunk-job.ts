import { RecurError, type Pipeline } from '@recur/runtime';
import { decodeInput, withInputLine } from '../inputs.js';
import type { PipelineFingerprint } from './fingerprint.js';

/**
 * One chunk of a `recur run --queue`: a run of consecutive input lines, as written in the file, so
 * that a bad line is decoded (and reported with its number) on the worker that runs the chunk.
 */
export interface ChunkJobData {
  readonly pipeline: string;
  readonly fingerprint: PipelineFingerprint;
  /** The producer's absolute input path, for error messages (the same as a local run's). */
  readonly file: string;
  readonly format: 'jsonl' | 'text';
  /** 1-based number of the chunk's first line in `file`. */
  readonly firstLine: number;
  readonly lines: readonly string[];
  /** Call options (`--options`, `--top-k`). */
  readonly options: Record<string, unknown>;
}

/** The BullMQ queue of a pipeline's chunks (BullMQ names may not contain `:`). */
export function runQueueName(pipeline: string): string {
  return `recur-run.${pipeline}`;
}

/** Runs a chunk in batches of the spec's `runtime.maxBatch`; returns its results as JSONL, as `recur run` writes them. */
export async function runChunk(pipeline: Pipeline, data: ChunkJobData): Promise<string> {
  const batchSize = Number((pipeline.spec['runtime'] as Record<string, unknown> | undefined)?.['maxBatch'] ?? 64) || 64;
  const inputs = data.lines.map((raw, i) => decodeInput(raw, data.format, data.file, data.firstLine + i));
  let out = '';
  for (let start = 0; start < inputs.length; start += batchSize) {
    // An error about one input names its line in the file, as a local run's does.
    const results = (await pipeline.run(inputs.slice(start, start + batchSize), data.options).catch((err: unknown) => {
      throw withInputLine(err, data.file, data.firstLine - 1 + start);
    })) as unknown[];
    out += results.map((r) => JSON.stringify(r)).join('\n') + '\n';
    // Let BullMQ renew the job's lock between two batches (inference runs on this thread).
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

/** A coded error in the text BullMQ keeps as a failed job's reason. */
export function encodeError(err: RecurError): string {
  return JSON.stringify({ recurError: err.toJSON(), exitCode: err.exitCode });
}

/** The coded error a worker encoded, or undefined for any other failure text. */
export function decodeError(reason: string | undefined): RecurError | undefined {
  if (!reason?.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(reason) as {
      recurError?: { code: string; message: string; [k: string]: unknown };
      exitCode?: number;
    };
    if (!parsed.recurError) return undefined;
    const { code, message, ...details } = parsed.recurError;
    return new RecurError(code, message, details, parsed.exitCode ?? 1);
  } catch {
    return undefined;
  }
}

import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { RuntimeErrors } from '@recur/runtime';

/** One record of the metrics log: a step or an epoch, with whatever figures it has. */
export interface MetricsRecord {
  /** `'step'`, `'epoch'`, `'dev'`, `'run'`... */
  readonly kind: string;
  readonly [field: string]: unknown;
}

/**
 * The JSONL metrics log of a training run: one JSON object per line, appended (a resumed run goes on
 * in the same file). Each record is written with one synchronous `write` straight to the file, with
 * no buffer in the process, so that what was logged before a Ctrl-C or a crash is on disk, and a line
 * is either whole or absent. Every record gets an ISO `time`. Non-finite numbers become null (JSON
 * has no NaN): check `loss` for null.
 */
export class MetricsLog {
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Opens (creating the folder and the file when needed) for appending. RECUR_E_IO when it cannot. */
  static open(path: string): MetricsLog {
    try {
      mkdirSync(dirname(path), { recursive: true });
      return new MetricsLog(path, openSync(path, 'a'));
    } catch (err) {
      throw RuntimeErrors.IO(
        `cannot open the metrics log ${path}: ${(err as Error).message}`,
        { file: path },
        { cause: err },
      );
    }
  }

  /** Appends one record. */
  write(record: MetricsRecord): void {
    if (this.fd === undefined) throw RuntimeErrors.IO(`the metrics log ${this.path} is closed`, { file: this.path });
    const line = `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`;
    try {
      writeSync(this.fd, line);
    } catch (err) {
      throw RuntimeErrors.IO(
        `cannot write the metrics log ${this.path}: ${(err as Error).message}`,
        { file: this.path },
        { cause: err },
      );
    }
  }

  /** Flushes to the disk and closes; further writes are errors. Safe to call twice. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** Reads a metrics log back; a line that does not parse (cut short by a kill) is skipped. RECUR_E_IO when unreadable. */
export function readMetricsLog(path: string): MetricsRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw RuntimeErrors.IO(
      `cannot read the metrics log ${path}: ${(err as Error).message}`,
      { file: path },
      { cause: err },
    );
  }
  const records: MetricsRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as MetricsRecord);
    } catch {
      // a partial line from an interrupted write
    }
  }
  return records;
}

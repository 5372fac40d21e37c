import type { ErrorFactory, RecurErrorDetails } from '@recur/runtime';
import { TrainErrors } from '../errors.js';

/**
 * What a reader does with a bad record (an empty line, a wrong column count, invalid UTF-8, a label
 * not in the spec, a JSONL line that is not a usable object):
 * - `'error'`: throw a coded RecurError naming the file and the 1-based line (the default);
 * - `'skip'`: leave the record out and count it by reason in the result's `skipped`.
 */
export type BadRecordPolicy = 'error' | 'skip';

/** Why a record was left out. */
export type SkipReason = 'empty-line' | 'empty-field' | 'columns' | 'encoding' | 'label' | 'json';

/** Counts of skipped records by reason; reasons that never happened are absent. */
export type SkipCounts = Partial<Record<SkipReason, number>>;

/** What every reader returns: the records in file order and what was skipped. */
export interface ReadResult<R> {
  readonly file: string;
  readonly records: R[];
  readonly skipped: SkipCounts;
}

const FACTORY: Record<SkipReason, ErrorFactory> = {
  'empty-line': TrainErrors.DATA_EMPTY_LINE,
  'empty-field': TrainErrors.DATA_EMPTY_LINE,
  columns: TrainErrors.DATA_COLUMNS,
  encoding: TrainErrors.DATA_ENCODING,
  label: TrainErrors.DATA_LABEL_UNKNOWN,
  json: TrainErrors.DATA_JSON,
};

/** Applies a BadRecordPolicy for one file: throws the coded error, or counts the skip. */
export class BadRecords {
  private readonly counts: Record<string, number> = {};

  constructor(
    readonly file: string,
    private readonly policy: BadRecordPolicy = 'error',
  ) {}

  /**
   * Reports a bad record at 1-based `line`. Throws under the 'error' policy; returns normally
   * (the caller then drops the record) under 'skip'.
   */
  report(reason: SkipReason, line: number, message: string, details: RecurErrorDetails = {}): void {
    if (this.policy === 'error') {
      throw FACTORY[reason](`${this.file}:${line}: ${message}`, { ...details, file: this.file, line });
    }
    this.counts[reason] = (this.counts[reason] ?? 0) + 1;
  }

  /** The skip counts so far. */
  get skipped(): SkipCounts {
    return { ...this.counts };
  }

  /** Total number of skipped records. */
  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
}

/** Throws RECUR_E_DATA_EMPTY when a file gave no record (after skipping). */
export function requireRecords<R>(result: ReadResult<R>): ReadResult<R> {
  if (result.records.length > 0) return result;
  const skipped = Object.entries(result.skipped)
    .map(([r, n]) => `${r}: ${n}`)
    .join(', ');
  throw TrainErrors.DATA_EMPTY(`${result.file}: no usable record${skipped ? ` (skipped ${skipped})` : ''}`, {
    file: result.file,
  });
}

/** True for text that holds nothing but whitespace. */
export function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

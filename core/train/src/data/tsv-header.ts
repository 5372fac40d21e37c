import { TrainErrors } from '../errors.js';
import { isBlank } from './bad-records.js';
import type { DataLines } from './read-data-file.js';
import type { ColumnRef, HeaderMode } from './record-types.js';

/** A cell that reads like a column name: one short word (`sentence`, `label`, `review_text`), no sentence. */
const HEADER_CELL = /^[\p{L}_][\p{L}\p{N}_.-]{0,31}$/u;

/** True when every cell of a row reads like a column name. */
export function looksLikeHeader(cells: readonly string[]): boolean {
  return cells.length > 0 && cells.every((c) => HEADER_CELL.test(c.trim()));
}

/**
 * Decides whether the first row is a header. `true`/`false` are taken as given; `'auto'` asks
 * `isDataRow` (for example "its label cell is a known label") and otherwise whether every cell reads
 * like a column name (SST-2's `sentence\tlabel`). Named columns imply a header.
 */
export function detectHeader(
  mode: HeaderMode,
  firstRow: readonly string[] | undefined,
  isDataRow: (cells: readonly string[]) => boolean,
  namedColumns: boolean,
): boolean {
  if (mode !== 'auto') return mode;
  if (namedColumns) return true;
  if (firstRow === undefined) return false;
  return !isDataRow(firstRow) && looksLikeHeader(firstRow);
}

/**
 * Resolves a column reference to an index: a number as is, a name through the header row (case-
 * insensitive), or the first of `defaults` (names) found in the header, else `fallback`.
 * RECUR_E_DATA_OPTIONS when a named column is not in the header or an index is out of range.
 */
export function resolveColumn(
  ref: ColumnRef | undefined,
  header: readonly string[] | undefined,
  defaults: readonly string[],
  fallback: number,
  columnCount: number,
  file: string,
  role: string,
): number {
  const names = header?.map((h) => h.trim().toLowerCase());
  let index: number;
  if (typeof ref === 'number') {
    index = ref;
  } else if (typeof ref === 'string') {
    index = names?.indexOf(ref.toLowerCase()) ?? -1;
    if (index < 0) {
      throw TrainErrors.DATA_OPTIONS(
        `${file}: no ${role} column named ${JSON.stringify(ref)}${header ? ` (header: ${header.join(', ')})` : ' (the file has no header row)'}`,
        { file, expected: header?.join(', ') ?? 'a header row' },
      );
    }
  } else {
    const found = names ? defaults.map((d) => names.indexOf(d)).find((i) => i >= 0) : undefined;
    index = found ?? fallback;
  }
  if (!Number.isInteger(index) || index < 0 || index >= columnCount) {
    throw TrainErrors.DATA_OPTIONS(
      `${file}: the ${role} column ${index} does not exist (the file has ${columnCount} column(s))`,
      { file, expected: `0..${columnCount - 1}` },
    );
  }
  return index;
}

/** The first line from `start` that is valid UTF-8 and not blank: it fixes the column count of a headerless file. */
export function firstDataLine(data: DataLines, start: number): number | undefined {
  for (let i = start; i < data.lines.length; i++) {
    if (!data.invalidUtf8.has(i) && !isBlank(data.lines[i])) return i;
  }
  return undefined;
}

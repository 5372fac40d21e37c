import { TrainErrors } from '../errors.js';
import { BadRecords, isBlank, requireRecords, type ReadResult } from './bad-records.js';
import { readDataLines, type DataLines } from './read-data-file.js';
import type { ColumnRef, CommonReadOptions, HeaderMode, TextPair } from './record-types.js';
import { firstDataLine, resolveColumn } from './tsv-header.js';

/**
 * Reads a parallel corpus kept as two files, line i of `sourceFile` translating line i of
 * `targetFile` (Multi30k's train.de.gz / train.en.gz; gzip or not). Different line counts are
 * RECUR_E_DATA_PARALLEL_MISMATCH, whatever `onBadRecord` says: the pairing itself is broken. An empty
 * or non-UTF-8 line on either side makes the pair bad (error, or skipped and counted).
 */
export async function readParallelFiles(
  sourceFile: string,
  targetFile: string,
  options: CommonReadOptions = {},
): Promise<ReadResult<TextPair>> {
  const [source, target] = await Promise.all([readDataLines(sourceFile), readDataLines(targetFile)]);
  return pairLines(source, target, options);
}

/** {@link readParallelFiles} over lines already read. */
export function pairLines(source: DataLines, target: DataLines, options: CommonReadOptions = {}): ReadResult<TextPair> {
  if (source.lines.length !== target.lines.length) {
    throw TrainErrors.DATA_PARALLEL_MISMATCH(
      `${source.file} has ${source.lines.length} line(s) but ${target.file} has ${target.lines.length}: line i of one must translate line i of the other`,
      { file: target.file, expected: `${source.lines.length} lines` },
    );
  }
  const trim = options.trim ?? true;
  const badSource = new BadRecords(source.file, options.onBadRecord);
  const badTarget = new BadRecords(target.file, options.onBadRecord);
  const records: TextPair[] = [];
  for (let i = 0; i < source.lines.length; i++) {
    const line = i + 1;
    if (!checkLine(source, i, badSource) || !checkLine(target, i, badTarget)) continue;
    const s = source.lines[i];
    const t = target.lines[i];
    records.push({ source: trim ? s.trim() : s, target: trim ? t.trim() : t, line });
  }
  const skipped = mergeCounts(badSource.skipped, badTarget.skipped);
  return requireRecords({ file: `${source.file} + ${target.file}`, records, skipped });
}

function checkLine(data: DataLines, i: number, bad: BadRecords): boolean {
  if (data.invalidUtf8.has(i)) {
    bad.report('encoding', i + 1, 'not valid UTF-8');
    return false;
  }
  if (isBlank(data.lines[i])) {
    bad.report('empty-line', i + 1, 'empty line (each line of a parallel corpus needs its translation)');
    return false;
  }
  return true;
}

function mergeCounts(
  a: Record<string, number | undefined>,
  b: Record<string, number | undefined>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const counts of [a, b]) for (const [k, v] of Object.entries(counts)) out[k] = (out[k] ?? 0) + (v ?? 0);
  return out;
}

/** Options of {@link readParallelTsv}. */
export interface ParallelTsvOptions extends CommonReadOptions {
  /**
   * Whether the first row is a header. `'auto'` takes it for one only when each cell is a known
   * column name (source, target, src, tgt, input, output) or a lowercase language code (de, en, eng).
   * @defaultValue 'auto'
   */
  readonly header?: HeaderMode;
  /** The source column (index or header name). @defaultValue the header's source/src column, else 0 */
  readonly sourceColumn?: ColumnRef;
  /** The target column (index or header name). @defaultValue the header's target/tgt column, else 1 */
  readonly targetColumn?: ColumnRef;
}

const HEADER_NAMES = new Set(['source', 'target', 'src', 'tgt', 'input', 'output']);

function isHeaderName(cell: string): boolean {
  const name = cell.trim();
  return HEADER_NAMES.has(name.toLowerCase()) || /^[a-z]{2,3}$/.test(name);
}

/**
 * Reads a parallel corpus kept as one TSV file, one pair per line (Tatoeba's `English<TAB>other`
 * files: pass `sourceColumn: 1, targetColumn: 0` to translate into English). Bad lines as in
 * {@link readClassificationTsv}.
 */
export async function readParallelTsv(file: string, options: ParallelTsvOptions = {}): Promise<ReadResult<TextPair>> {
  return parseParallelTsv(await readDataLines(file), options);
}

/** {@link readParallelTsv} over lines already read. */
export function parseParallelTsv(data: DataLines, options: ParallelTsvOptions = {}): ReadResult<TextPair> {
  const { file, lines, invalidUtf8 } = data;
  const trim = options.trim ?? true;
  const bad = new BadRecords(file, options.onBadRecord);
  const firstRow = lines.length > 0 && !invalidUtf8.has(0) && !isBlank(lines[0]) ? lines[0].split('\t') : undefined;
  const named = typeof options.sourceColumn === 'string' || typeof options.targetColumn === 'string';
  const mode = options.header ?? 'auto';
  const hasHeader = mode === 'auto' ? named || (firstRow !== undefined && firstRow.every(isHeaderName)) : mode;
  if (hasHeader && firstRow === undefined)
    throw TrainErrors.DATA_OPTIONS(`${file}: a header row was expected, but the first line is empty or not UTF-8`, {
      file,
      line: 1,
    });
  const header = hasHeader ? firstRow : undefined;
  const start = header ? 1 : 0;
  const records: TextPair[] = [];
  const columnLine = header ? 0 : firstDataLine(data, start);
  if (columnLine === undefined) return requireRecords({ file, records, skipped: bad.skipped });
  const columnCount = lines[columnLine].split('\t').length;
  const sourceAt = resolveColumn(
    options.sourceColumn,
    header,
    ['source', 'src', 'input'],
    0,
    columnCount,
    file,
    'source',
  );
  const targetAt = resolveColumn(
    options.targetColumn,
    header,
    ['target', 'tgt', 'output'],
    sourceAt === 1 ? 0 : 1,
    columnCount,
    file,
    'target',
  );

  for (let i = start; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i];
    if (invalidUtf8.has(i)) {
      bad.report('encoding', line, 'not valid UTF-8');
      continue;
    }
    if (isBlank(raw)) {
      bad.report('empty-line', line, 'empty line');
      continue;
    }
    const cells = raw.split('\t');
    if (cells.length !== columnCount) {
      bad.report('columns', line, `${cells.length} tab-separated column(s), expected ${columnCount}`, {
        expected: `${columnCount} columns`,
      });
      continue;
    }
    const source = trim ? cells[sourceAt].trim() : cells[sourceAt];
    const target = trim ? cells[targetAt].trim() : cells[targetAt];
    if (isBlank(source) || isBlank(target)) {
      bad.report('empty-field', line, `the ${isBlank(source) ? 'source' : 'target'} text is empty`);
      continue;
    }
    records.push({ source, target, line });
  }
  return requireRecords({ file, records, skipped: bad.skipped });
}

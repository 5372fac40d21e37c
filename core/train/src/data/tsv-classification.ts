import { TrainErrors } from '../errors.js';
import { BadRecords, isBlank, requireRecords, type ReadResult } from './bad-records.js';
import { LabelResolver } from './label-resolver.js';
import { readDataLines, type DataLines } from './read-data-file.js';
import type { ColumnRef, CommonReadOptions, HeaderMode, LabeledText } from './record-types.js';
import { detectHeader, firstDataLine, resolveColumn } from './tsv-header.js';

/** Options of {@link readClassificationTsv}. */
export interface ClassificationTsvOptions extends CommonReadOptions {
  /** The spec's labels; a file's label cell is a name from this list or an index into it. */
  readonly labels: readonly string[];
  /**
   * Whether the first row is a header. `'auto'` takes it for one when its label cell is not a valid
   * label and every cell reads like a column name (SST-2's `sentence\tlabel`). @defaultValue 'auto'
   */
  readonly header?: HeaderMode;
  /** The text column: an index, or a header name. @defaultValue the header's sentence/text/review column, else 0 */
  readonly textColumn?: ColumnRef;
  /** The label column: an index, or a header name. @defaultValue the header's label/class/sentiment column, else 1 */
  readonly labelColumn?: ColumnRef;
}

const TEXT_NAMES = ['sentence', 'text', 'review', 'content', 'input', 'document'];
const LABEL_NAMES = ['label', 'labels', 'class', 'category', 'sentiment', 'target', 'y'];

/**
 * Reads a tab-separated classification file (`text<TAB>label` per line; gzip or not). Labels may be
 * names or indices into `labels`. Bad lines (empty, another column count than the header or first
 * line, invalid UTF-8, an unknown label, an empty text) throw a coded error with file and line, or
 * are skipped and counted with `onBadRecord: 'skip'`. A file with no usable record is RECUR_E_DATA_EMPTY.
 */
export async function readClassificationTsv(
  file: string,
  options: ClassificationTsvOptions,
): Promise<ReadResult<LabeledText>> {
  return parseClassificationTsv(await readDataLines(file), options);
}

/** {@link readClassificationTsv} over lines already read. */
export function parseClassificationTsv(data: DataLines, options: ClassificationTsvOptions): ReadResult<LabeledText> {
  const { file, lines, invalidUtf8 } = data;
  if (options.labels.length === 0)
    throw TrainErrors.DATA_OPTIONS(`${file}: a classification file needs the spec's labels, and none were given`, {
      file,
    });
  const labels = new LabelResolver(options.labels);
  const trim = options.trim ?? true;
  const bad = new BadRecords(file, options.onBadRecord);

  const firstRow = lines.length > 0 && !invalidUtf8.has(0) && !isBlank(lines[0]) ? lines[0].split('\t') : undefined;
  const guessLabelColumn = typeof options.labelColumn === 'number' ? options.labelColumn : 1;
  const named = typeof options.textColumn === 'string' || typeof options.labelColumn === 'string';
  // A first row is data when its label cell is a label, or a near miss of one (a typo is data with a bad label, not a header).
  const isDataRow = (cells: readonly string[]) => {
    const cell = cells[guessLabelColumn];
    return (
      cell !== undefined &&
      (labels.resolve(cell) !== undefined || labels.describeUnknown(cell.trim()).suggestions.length > 0)
    );
  };
  const hasHeader = detectHeader(options.header ?? 'auto', firstRow, isDataRow, named);
  const header = hasHeader ? firstRow : undefined;
  if (hasHeader && header === undefined)
    throw TrainErrors.DATA_OPTIONS(`${file}: a header row was expected, but the first line is empty or not UTF-8`, {
      file,
      line: 1,
    });

  const start = hasHeader ? 1 : 0;
  const columnLine = header ? 0 : firstDataLine(data, start);
  const records: LabeledText[] = [];
  if (columnLine === undefined) return requireRecords({ file, records, skipped: bad.skipped });
  const columnCount = lines[columnLine].split('\t').length;
  const textAt = resolveColumn(options.textColumn, header, TEXT_NAMES, 0, columnCount, file, 'text');
  const labelAt = resolveColumn(
    options.labelColumn,
    header,
    LABEL_NAMES,
    textAt === 1 ? 0 : 1,
    columnCount,
    file,
    'label',
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
      bad.report(
        'columns',
        line,
        `${cells.length} tab-separated column(s), expected ${columnCount}${header ? ' as in the header' : ' as on the first line'}`,
        { expected: `${columnCount} columns` },
      );
      continue;
    }
    const text = trim ? cells[textAt].trim() : cells[textAt];
    if (isBlank(text)) {
      bad.report('empty-field', line, 'the text is empty');
      continue;
    }
    const label = labels.resolve(cells[labelAt]);
    if (label === undefined) {
      const { message, expected, suggestions } = labels.describeUnknown(cells[labelAt].trim());
      bad.report('label', line, message, { expected, suggestions });
      continue;
    }
    records.push({ text, label, line });
  }
  return requireRecords({ file, records, skipped: bad.skipped });
}

import { TrainErrors } from '../errors.js';
import { BadRecords, isBlank, requireRecords, type ReadResult } from './bad-records.js';
import { LabelResolver } from './label-resolver.js';
import { readDataLines, type DataLines } from './read-data-file.js';
import type { CommonReadOptions, LabeledText, TextPair } from './record-types.js';

/** Options of {@link readLabeledJsonl}. */
export interface LabeledJsonlOptions extends CommonReadOptions {
  /** The spec's labels; a record's label is a name from this list or an index into it (number or digit string). */
  readonly labels: readonly string[];
  /** @defaultValue 'text' */
  readonly textField?: string;
  /** @defaultValue 'label' */
  readonly labelField?: string;
}

/** Options of {@link readParallelJsonl}. */
export interface ParallelJsonlOptions extends CommonReadOptions {
  /** @defaultValue 'source' */
  readonly sourceField?: string;
  /** @defaultValue 'target' */
  readonly targetField?: string;
}

/**
 * Reads classification records from JSON Lines (`{"text": "...", "label": "positive"}` per line;
 * gzip or not). A line that is not a JSON object, lacks a field or holds it with the wrong type is
 * RECUR_E_DATA_JSON; an unknown label RECUR_E_DATA_LABEL_UNKNOWN; each with file and line, or
 * skipped and counted under `onBadRecord: 'skip'`. Other fields are ignored.
 */
export async function readLabeledJsonl(file: string, options: LabeledJsonlOptions): Promise<ReadResult<LabeledText>> {
  return parseLabeledJsonl(await readDataLines(file), options);
}

/** {@link readLabeledJsonl} over lines already read. */
export function parseLabeledJsonl(data: DataLines, options: LabeledJsonlOptions): ReadResult<LabeledText> {
  if (options.labels.length === 0)
    throw TrainErrors.DATA_OPTIONS(`${data.file}: a classification file needs the spec's labels, and none were given`, {
      file: data.file,
    });
  const labels = new LabelResolver(options.labels);
  const textField = options.textField ?? 'text';
  const labelField = options.labelField ?? 'label';
  const trim = options.trim ?? true;
  const bad = new BadRecords(data.file, options.onBadRecord);
  const records: LabeledText[] = [];
  forEachObject(data, bad, (obj, line) => {
    const text = stringField(obj, textField, line, bad, trim);
    if (text === undefined) return;
    const value = obj[labelField];
    if (typeof value !== 'string' && typeof value !== 'number') {
      bad.report('json', line, `field "${labelField}" must be a label name or index, got ${describe(value)}`, {
        expected: `"${labelField}": a label name or index`,
      });
      return;
    }
    const label = labels.resolve(value);
    if (label === undefined) {
      const { message, expected, suggestions } = labels.describeUnknown(value);
      bad.report('label', line, message, { expected, suggestions });
      return;
    }
    records.push({ text, label, line });
  });
  return requireRecords({ file: data.file, records, skipped: bad.skipped });
}

/**
 * Reads translation pairs from JSON Lines (`{"source": "...", "target": "..."}` per line; gzip or
 * not). Bad lines as in {@link readLabeledJsonl}.
 */
export async function readParallelJsonl(
  file: string,
  options: ParallelJsonlOptions = {},
): Promise<ReadResult<TextPair>> {
  return parseParallelJsonl(await readDataLines(file), options);
}

/** {@link readParallelJsonl} over lines already read. */
export function parseParallelJsonl(data: DataLines, options: ParallelJsonlOptions = {}): ReadResult<TextPair> {
  const sourceField = options.sourceField ?? 'source';
  const targetField = options.targetField ?? 'target';
  const trim = options.trim ?? true;
  const bad = new BadRecords(data.file, options.onBadRecord);
  const records: TextPair[] = [];
  forEachObject(data, bad, (obj, line) => {
    const source = stringField(obj, sourceField, line, bad, trim);
    if (source === undefined) return;
    const target = stringField(obj, targetField, line, bad, trim);
    if (target === undefined) return;
    records.push({ source, target, line });
  });
  return requireRecords({ file: data.file, records, skipped: bad.skipped });
}

/** Calls `visit` with each line that parses to a JSON object; reports the others. */
function forEachObject(
  data: DataLines,
  bad: BadRecords,
  visit: (obj: Record<string, unknown>, line: number) => void,
): void {
  data.lines.forEach((raw, i) => {
    const line = i + 1;
    if (data.invalidUtf8.has(i)) {
      bad.report('encoding', line, 'not valid UTF-8');
      return;
    }
    if (isBlank(raw)) {
      bad.report('empty-line', line, 'empty line');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      bad.report('json', line, `not JSON (${(err as Error).message})`, { expected: 'one JSON object per line' });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      bad.report('json', line, `expected a JSON object, got ${describe(value)}`, {
        expected: 'one JSON object per line',
      });
      return;
    }
    visit(value as Record<string, unknown>, line);
  });
}

function stringField(
  obj: Record<string, unknown>,
  field: string,
  line: number,
  bad: BadRecords,
  trim: boolean,
): string | undefined {
  const value = obj[field];
  if (typeof value !== 'string') {
    bad.report('json', line, `field "${field}" must be a string, got ${describe(value)}`, {
      expected: `"${field}": a string`,
    });
    return undefined;
  }
  const text = trim ? value.trim() : value;
  if (isBlank(text)) {
    bad.report('empty-field', line, `field "${field}" is empty`);
    return undefined;
  }
  return text;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string'
    ? `the string ${JSON.stringify(value.slice(0, 40))}`
    : `${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`;
}

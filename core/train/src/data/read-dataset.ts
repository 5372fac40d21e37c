import { TrainErrors } from '../errors.js';
import type { BadRecordPolicy, ReadResult } from './bad-records.js';
import { parseLabeledJsonl, parseParallelJsonl } from './jsonl.js';
import { pairLines, parseParallelTsv } from './parallel-text.js';
import { readPlainText, type PlainText } from './plain-text.js';
import { readDataLines, type DataLines } from './read-data-file.js';
import type { LabeledText, TextPair } from './record-types.js';
import { parseClassificationTsv } from './tsv-classification.js';

/** What `recur train --data` / `recur eval --data` name for each task. */
export type DatasetRequest =
  | {
      readonly task: 'text-classification';
      readonly files: readonly [string];
      readonly labels: readonly string[];
      readonly onBadRecord?: BadRecordPolicy;
    }
  | {
      readonly task: 'translation';
      readonly files: readonly [string] | readonly [string, string];
      readonly onBadRecord?: BadRecordPolicy;
    }
  | { readonly task: 'text-generation'; readonly files: readonly [string]; readonly onBadRecord?: BadRecordPolicy };

/** The records of a data set, by kind. */
export type Dataset =
  | { readonly kind: 'labeled'; readonly data: ReadResult<LabeledText> }
  | { readonly kind: 'pairs'; readonly data: ReadResult<TextPair> }
  | { readonly kind: 'text'; readonly data: PlainText };

/**
 * Reads a task's data in whatever format the files are in, gzip or not: JSON Lines when the first
 * line starts with `{`, else TSV (classification: text and label; translation: source and target);
 * translation also takes two files of aligned lines (source, target); text generation reads one
 * plain-text stream. The header, label and bad-record rules are those of each reader.
 */
export async function readDataset(request: DatasetRequest): Promise<Dataset> {
  const onBadRecord = request.onBadRecord ?? 'error';
  switch (request.task) {
    case 'text-generation':
      return { kind: 'text', data: await readPlainText(request.files[0], { onBadRecord }) };
    case 'text-classification': {
      const lines = await readDataLines(request.files[0]);
      const options = { labels: request.labels, onBadRecord };
      return {
        kind: 'labeled',
        data: isJsonl(lines) ? parseLabeledJsonl(lines, options) : parseClassificationTsv(lines, options),
      };
    }
    case 'translation': {
      if (request.files.length === 2) {
        const [source, target] = await Promise.all(request.files.map((f) => readDataLines(f)));
        return { kind: 'pairs', data: pairLines(source, target, { onBadRecord }) };
      }
      const lines = await readDataLines(request.files[0]);
      return {
        kind: 'pairs',
        data: isJsonl(lines) ? parseParallelJsonl(lines, { onBadRecord }) : parseParallelTsv(lines, { onBadRecord }),
      };
    }
    default:
      throw TrainErrors.DATA_OPTIONS(
        `no data reader for the task ${JSON.stringify((request as { task: string }).task)}`,
        { expected: 'text-classification, translation or text-generation' },
      );
  }
}

/** True when the first non-blank line of a file opens a JSON object. */
function isJsonl(data: DataLines): boolean {
  const first = data.lines.find((line, i) => !data.invalidUtf8.has(i) && line.trim() !== '');
  return first !== undefined && first.trimStart().startsWith('{');
}

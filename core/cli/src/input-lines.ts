import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { RuntimeErrors as E } from '@recur/runtime';
import { fileKind } from '@recur/runtime/internal';

/**
 * The longest input line `recur run --input` reads, in bytes. A pipeline truncates long inputs to a
 * few thousand tokens anyway; the bound stops a line without end (`/dev/zero`, a binary file) from
 * filling memory.
 */
export const MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;
const CR = 0x0d;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Checks that an input path can be read as a stream of lines: it exists and is not a folder or a
 * socket (a regular file, a FIFO or a character device such as `/dev/stdin` all are).
 */
export async function checkInputPath(path: string): Promise<void> {
  let stats;
  try {
    stats = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw E.PATH_NOT_FOUND(`input file ${path} does not exist`, { file: path, expected: 'an existing file' });
    throw E.IO(`cannot read input file ${path}: ${(err as Error).message}`, { file: path }, { cause: err });
  }
  if (stats.isFile() || stats.isFIFO() || stats.isCharacterDevice()) return;
  throw E.IO(`input file ${path} is ${fileKind(stats)}; give a file of inputs`, {
    file: path,
    expected: 'a file, one input per line',
  });
}

/**
 * One line's bytes as text. Invalid UTF-8 is refused with the line number rather than replaced
 * silently (a replaced byte changes what the model reads); a trailing CR (CRLF files) is dropped.
 */
export function decodeLine(bytes: Uint8Array, file: string, line: number): string {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
  let text: string;
  try {
    text = utf8.decode(bytes.subarray(0, end));
  } catch {
    throw E.INPUT_INVALID(`${file}: line ${line} is not valid UTF-8`, {
      file,
      line,
      expected: 'UTF-8 text (convert the file first, e.g. iconv -f latin1 -t utf-8)',
    });
  }
  // A byte order mark starts the file, not the first input.
  return line === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/**
 * The lines of an input file, numbered from 1, read as a stream (never the whole file at once). A
 * line longer than `maxLineBytes` is RECUR_E_INPUT_INVALID with its line number, before it is read
 * further; invalid UTF-8 likewise. The last line may lack its newline; an empty file has no lines.
 */
export async function* inputLines(
  path: string,
  maxLineBytes = MAX_LINE_BYTES,
): AsyncGenerator<{ text: string; line: number }> {
  await checkInputPath(path);
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  let parts: Buffer[] = [];
  let partBytes = 0;
  let line = 1;
  const tooLong = () =>
    E.INPUT_INVALID(`${path}: line ${line} is longer than ${maxLineBytes} bytes`, {
      file: path,
      line,
      limit: maxLineBytes,
      expected: `one input per line, each at most ${maxLineBytes} bytes`,
    });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (;;) {
        const end = chunk.indexOf(NEWLINE, start);
        const piece = chunk.subarray(start, end < 0 ? chunk.length : end);
        if (partBytes + piece.length > maxLineBytes) throw tooLong();
        if (end < 0) {
          if (piece.length > 0) parts.push(piece);
          partBytes += piece.length;
          break;
        }
        const bytes = parts.length === 0 ? piece : Buffer.concat([...parts, piece]);
        yield { text: decodeLine(bytes, path, line), line };
        line += 1;
        parts = [];
        partBytes = 0;
        start = end + 1;
      }
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && !code.startsWith('RECUR_E_'))
      throw E.IO(`cannot read input file ${path}: ${(err as Error).message}`, { file: path }, { cause: err });
    throw err;
  } finally {
    stream.destroy();
  }
  if (partBytes > 0) yield { text: decodeLine(Buffer.concat(parts), path, line), line };
}

/**
 * A whole input file as text, read up to `maxBytes` (more is RECUR_E_INPUT_INVALID before it is held:
 * `/dev/zero` cannot fill memory), its lines checked for UTF-8 as `inputLines` does.
 */
export async function readBoundedText(path: string, maxBytes: number, hint: string): Promise<string> {
  const lines: string[] = [];
  let total = 0;
  for await (const { text } of inputLines(path, maxBytes)) {
    total += Buffer.byteLength(text) + 1;
    if (total > maxBytes + 1)
      throw E.INPUT_INVALID(`${path} is larger than ${maxBytes} bytes; ${hint}`, {
        file: path,
        limit: maxBytes,
        expected: hint,
      });
    lines.push(text);
  }
  return lines.join('\n');
}

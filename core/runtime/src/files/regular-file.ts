import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { ErrorFactory } from '../errors/define-errors.js';
import { E } from '../errors/runtime-errors.js';

/** What a file system entry is, in words for a message: "a folder", "a FIFO (named pipe)", ... */
export function fileKind(
  stats: Pick<
    Stats,
    'isFile' | 'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket' | 'isSymbolicLink'
  >,
): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * Opens a file Recur reads whole (spec, tokenizer, weights, ONNX model) and checks that it is a regular
 * file. The open does not block (O_NONBLOCK), so a FIFO is refused at once instead of hanging until a
 * writer appears, and the check is made on the opened file itself, so nothing can swap it in between.
 * `what` names the file for messages ("spec file", "weights file"). A missing file is `missing`
 * (RECUR_E_IO unless the caller's contract says otherwise), anything else that is not a regular file
 * RECUR_E_IO; both name the path.
 */
export async function openRegularFile(path: string, what: string, missing: ErrorFactory = E.IO): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw missing(
        `cannot read ${what} ${path}: no such file`,
        { file: path, expected: 'an existing file' },
        { cause: err },
      );
    throw E.IO(`cannot read ${what} ${path}: ${(err as Error).message}`, { file: path }, { cause: err });
  }
  let stats: Stats;
  try {
    stats = await handle.stat();
  } catch (err) {
    await handle.close();
    throw E.IO(`cannot read ${what} ${path}: ${(err as Error).message}`, { file: path }, { cause: err });
  }
  if (!stats.isFile()) {
    await handle.close();
    throw E.IO(`${what} ${path} is ${fileKind(stats)}, not a regular file`, { file: path, expected: 'a regular file' });
  }
  return handle;
}

/** Reads a regular file whole (see `openRegularFile`); RECUR_E_IO when it cannot be read. */
export async function readRegularFile(path: string, what: string, missing: ErrorFactory = E.IO): Promise<Buffer> {
  const handle = await openRegularFile(path, what, missing);
  try {
    return await handle.readFile();
  } catch (err) {
    throw E.IO(`cannot read ${what} ${path}: ${(err as Error).message}`, { file: path }, { cause: err });
  } finally {
    await handle.close();
  }
}

import { realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { E } from '../errors/runtime-errors.js';
import { realpathLoose } from '../spec/file-refs.js';
import { fileKind } from './regular-file.js';

/** Where a write of an output path goes. */
export interface OutputTarget {
  /** The path to write: symbolic links resolved, so that a link is written through, never replaced. */
  readonly path: string;
  /**
   * True for a regular file (existing or new), which is written atomically (a temporary sibling
   * renamed over it); false for a character device or FIFO (`/dev/stdout`, `/dev/null`, a named
   * pipe), which is written through in place and never replaced.
   */
  readonly regular: boolean;
}

/**
 * Checks an output path before anything is written and says how to write it. A folder, a missing
 * folder, a path through a file, a socket or block device are RECUR_E_IO naming the path; a
 * character device or FIFO is RECUR_E_IO too unless `allowStreams` (results can stream to
 * `/dev/stdout`; a weights file cannot be a pipe). `what` names the file in messages ("output file").
 */
export async function outputTarget(path: string, what: string, allowStreams: boolean): Promise<OutputTarget> {
  let stats;
  try {
    stats = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      throw E.IO(`cannot write ${what} ${path}: ${(err as Error).message}`, { file: path }, { cause: err });
    // A new file (or a dangling link: the file is created where it points). Its folder must exist.
    const { real } = await realpathLoose(path);
    const folder = dirname(real);
    const parent = await stat(folder).catch(() => undefined);
    if (!parent)
      throw E.IO(`cannot write ${what} ${path}: the folder ${folder} does not exist`, {
        file: path,
        expected: 'a path in an existing folder',
      });
    if (!parent.isDirectory())
      throw E.IO(`cannot write ${what} ${path}: ${folder} is ${fileKind(parent)}, not a folder`, {
        file: path,
        expected: 'a path in an existing folder',
      });
    return { path: real, regular: true };
  }
  if (stats.isFile()) return { path: await realpath(path), regular: true };
  if (stats.isDirectory())
    throw E.IO(`${what} ${path} is a folder; give a file path`, { file: path, expected: 'a file path' });
  if (allowStreams && (stats.isFIFO() || stats.isCharacterDevice())) return { path, regular: false };
  throw E.IO(
    `${what} ${path} is ${fileKind(stats)}; Recur writes it only to a regular file${allowStreams ? ', a character device or a FIFO' : ''} and never replaces anything else`,
    {
      file: path,
      expected: allowStreams ? 'a regular file, a character device or a FIFO' : 'a regular file',
    },
  );
}

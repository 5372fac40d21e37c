import { rename, rm, writeFile } from 'node:fs/promises';
import { RuntimeErrors as E } from '@recur/runtime';
import { outputTarget } from '@recur/runtime/internal';
import { removeOnSignal } from './remove-on-signal.js';

/**
 * Writes an output file. A regular file (or a new one) is written through a temporary sibling and a
 * rename, so a crash or Ctrl-C never leaves half a file; a symbolic link is written through to its
 * target. A character device or FIFO (`/dev/stdout`, a named pipe) is written in place, never
 * replaced. A folder, a missing folder or another kind of file is RECUR_E_IO naming the path.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const target = await outputTarget(path, 'output file', true);
  if (!target.regular) {
    try {
      await writeFile(target.path, data);
    } catch (err) {
      throw E.IO(`cannot write ${path}: ${(err as Error).message}`, { file: path }, { cause: err });
    }
    return;
  }
  const tmp = `${target.path}.${process.pid}.tmp`;
  const done = removeOnSignal(tmp);
  try {
    await writeFile(tmp, data);
    await rename(tmp, target.path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw E.IO(`cannot write ${path}: ${(err as Error).message}`, { file: path }, { cause: err });
  } finally {
    done();
  }
}

import { mkdir, stat } from 'node:fs/promises';
import { RuntimeErrors as E } from '@recur/runtime';
import { fileKind } from '@recur/runtime/internal';

/** A folder a command reads (`recur conformance DIR`): missing is RECUR_E_PATH_NOT_FOUND, anything but a folder RECUR_E_IO. */
export async function checkInputFolder(path: string, what: string): Promise<void> {
  const stats = await stat(path).catch((caught: unknown) => {
    const err = caught as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR')
      throw E.PATH_NOT_FOUND(`${what} ${path} does not exist`, { file: path, expected: 'an existing folder' });
    throw E.IO(`cannot read ${what} ${path}: ${err.message}`, { file: path }, { cause: err });
  });
  if (!stats.isDirectory())
    throw E.IO(`${what} ${path} is ${fileKind(stats)}, not a folder`, { file: path, expected: 'a folder' });
}

/** A folder a command writes into (`recur export -o DIR`), created with its parents; RECUR_E_IO naming it when that fails. */
export async function ensureOutputFolder(path: string, what: string): Promise<void> {
  const stats = await stat(path).catch(() => undefined);
  if (stats && !stats.isDirectory())
    throw E.IO(`${what} ${path} is ${fileKind(stats)}, not a folder`, {
      file: path,
      expected: 'a folder (it is created when missing)',
    });
  try {
    await mkdir(path, { recursive: true });
  } catch (err) {
    throw E.IO(`cannot create ${what} ${path}: ${(err as Error).message}`, { file: path }, { cause: err });
  }
}

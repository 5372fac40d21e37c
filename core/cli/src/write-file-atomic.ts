import { rename, rm, writeFile } from 'node:fs/promises';
import { RuntimeErrors as E } from '@recur/runtime';

/** Writes a file through a temporary sibling and a rename, so a crash never leaves half a file. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw E.IO(`cannot write ${path}: ${(err as Error).message}`, { file: path }, { cause: err });
  }
}

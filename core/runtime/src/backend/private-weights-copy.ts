import { constants } from 'node:fs';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { RecurError } from '../errors/recur-error.js';
import { E } from '../errors/runtime-errors.js';
import { fileFingerprint } from '../safetensors/file-range.js';

/**
 * A copy of a weights file that only this process can reach, for ONNX Runtime to read external data
 * from. ONNX Runtime maps external data into memory and keeps using the mapped pages (an embedding
 * table is read in place): had it mapped the pipeline's own file, anyone truncating that file while
 * the process runs (`cp new.safetensors weights.safetensors`) would kill it with SIGBUS. The caller
 * removes the copy once the session exists; the mapping keeps it alive, out of everyone's reach.
 */
export async function privateWeightsCopy(
  path: string,
  fingerprint: string,
): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'recur-weights-'));
  const remove = () => rm(dir, { recursive: true, force: true }).catch(() => undefined);
  try {
    const before = fileFingerprint(await stat(path));
    if (before !== fingerprint) {
      throw E.WEIGHTS_CHANGED(
        `${path} changed on disk after its header was read (it was ${fingerprint}, now ${before}: size:mtime:inode); load the pipeline again`,
        { file: path },
      );
    }
    // A copy-on-write clone where the file system has them (btrfs, XFS, APFS): no bytes copied.
    await copyFile(path, join(dir, basename(path)), constants.COPYFILE_FICLONE);
    // The copy must be the file the header was read from: a rewrite during the copy would mix two files.
    if (fileFingerprint(await stat(path)) !== fingerprint) {
      throw E.WEIGHTS_CHANGED(`${path} changed on disk while it was being read; load the pipeline again`, {
        file: path,
      });
    }
  } catch (err) {
    await remove();
    if (RecurError.is(err)) throw err;
    throw E.IO(
      `cannot copy weights file ${path} for ONNX Runtime: ${(err as Error).message}`,
      { file: path },
      { cause: err },
    );
  }
  return { dir, remove };
}

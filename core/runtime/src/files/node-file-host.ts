import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { E } from '../errors/runtime-errors.js';
import { FileWeightStore } from '../safetensors/file-weight-store.js';
import { isInside, realpathLoose } from '../spec/file-refs.js';
import type { FileHost, FileReadOptions, FileStatus } from './file-host.js';
import { fileKind, openRegularFile } from './regular-file.js';

/**
 * The Node file host: locations are absolute paths. Files are opened without blocking and checked to
 * be regular files (a FIFO is refused, never waited on), links are followed to their real paths
 * before containment is judged, and weights stay on disk (`openWeights` gives ONNX Runtime their
 * extents, as external data).
 */
export const nodeFileHost: FileHost = {
  base: () => process.cwd(),
  dirname: (location) => path.dirname(location),
  resolve: (folder, ref) => path.resolve(folder, ref),
  async locate(location): Promise<FileStatus> {
    const { real, exists } = await realpathLoose(path.resolve(location));
    if (!exists) return { location: real, exists };
    const stat = await fs.stat(real).catch(() => undefined);
    return stat && !stat.isFile() ? { location: real, exists, notRegular: fileKind(stat) } : { location: real, exists };
  },
  contains: (root, location) => isInside(location, root),
  read: readRange,
  openWeights: (location) => FileWeightStore.open(location),
};

async function readRange(location: string, what: string, options: FileReadOptions = {}): Promise<Uint8Array> {
  const handle = await openRegularFile(location, what, options.missing);
  try {
    const offset = options.offset ?? 0;
    const size = (await handle.stat()).size;
    const length = Math.max(0, Math.min(options.length ?? Infinity, size - offset));
    const bytes = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(bytes, done, length - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === length ? bytes : bytes.subarray(0, done);
  } catch (err) {
    throw E.IO(`cannot read ${what} ${location}: ${(err as Error).message}`, { file: location }, { cause: err });
  } finally {
    await handle.close();
  }
}

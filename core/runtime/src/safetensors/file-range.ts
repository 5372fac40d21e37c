import { closeSync, openSync, readSync, type Stats } from 'node:fs';

/**
 * What tells one version of a file from another: size, modification time and inode. A weights file
 * rewritten in place or replaced by rename gets a new fingerprint.
 */
export function fileFingerprint(stats: Pick<Stats, 'size' | 'mtimeMs' | 'ino'>): string {
  return `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
}

/** Reads `length` bytes at `offset` of the file at `path`; throws when the file is shorter. */
export function readFileRange(path: string, offset: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  const fd = openSync(path, 'r');
  try {
    let done = 0;
    while (done < length) {
      const got = readSync(fd, bytes, done, length - done, offset + done);
      if (got === 0)
        throw new Error(`the file ended ${length - done} bytes early (reading ${length} bytes at offset ${offset})`);
      done += got;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

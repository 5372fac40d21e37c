import { E } from '../errors/runtime-errors.js';
import { openRegularFile } from '../files/regular-file.js';
import { resolveLimits } from './limits.js';
import type { SpecLimits } from './spec-types.js';

/**
 * Reads a spec file as UTF-8 text without ever holding more than the byte limit: a multi-gigabyte
 * file is refused after reading `maxBytes + 1` bytes, with RECUR_E_SPEC_TOO_LARGE.
 */
export async function readSpecFile(path: string, limits?: Partial<SpecLimits>): Promise<string> {
  const { maxBytes } = resolveLimits(limits);
  // A folder, FIFO or device is refused at once (a FIFO would otherwise block until a writer came).
  const handle = await openRegularFile(path, 'spec file', E.PATH_NOT_FOUND);
  try {
    const stat = await handle.stat();
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, stat.size + 1));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > maxBytes) {
      throw E.SPEC_TOO_LARGE(`spec file ${path} is larger than ${maxBytes} bytes`, { file: path, pointer: '', expected: `at most ${maxBytes} bytes` });
    }
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

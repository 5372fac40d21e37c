import { open } from 'node:fs/promises';
import { E } from '../errors/runtime-errors.js';
import { resolveLimits } from './limits.js';
import type { SpecLimits } from './spec-types.js';

/**
 * Reads a spec file as UTF-8 text without ever holding more than the byte limit: a multi-gigabyte
 * file is refused after reading `maxBytes + 1` bytes, with RECUR_E_SPEC_TOO_LARGE.
 */
export async function readSpecFile(path: string, limits?: Partial<SpecLimits>): Promise<string> {
  const { maxBytes } = resolveLimits(limits);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw E.PATH_NOT_FOUND(`spec file ${path} does not exist`, { file: path });
    throw E.IO(`cannot read spec file ${path}: ${(err as Error).message}`, { file: path }, { cause: err });
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw E.IO(`${path} is a folder; give the spec's .json file`, { file: path, expected: 'a .json file' });
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, stat.size + 1));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > maxBytes) {
      throw E.SPEC_TOO_LARGE(`spec file ${path} is larger than ${maxBytes} bytes`, { file: path, pointer: '', expected: `at most ${maxBytes} bytes` });
    }
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') throw E.IO(`${path} is a folder; give the spec's .json file`, { file: path });
    throw err;
  } finally {
    await handle.close();
  }
}

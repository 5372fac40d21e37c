import { E } from '../errors/runtime-errors.js';
import type { FileHost } from '../files/file-host.js';
import { nodeFileHost } from '../files/node-file-host.js';
import { resolveLimits } from './limits.js';
import type { SpecLimits } from './spec-types.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a spec file as UTF-8 text without ever holding more than the byte limit: a multi-gigabyte
 * file is refused after reading `maxBytes + 1` bytes, with RECUR_E_SPEC_TOO_LARGE. Invalid UTF-8 is
 * refused with its line (RECUR_E_SPEC_PARSE) rather than replaced: a replaced byte in a label or a
 * path would silently change what the spec says.
 */
export async function readSpecFile(
  path: string,
  limits?: Partial<SpecLimits>,
  host: FileHost = nodeFileHost,
): Promise<string> {
  const { maxBytes } = resolveLimits(limits);
  // A folder, FIFO or device is refused at once (a FIFO would otherwise block until a writer came).
  const bytes = await host.read(path, 'spec file', { missing: E.PATH_NOT_FOUND, length: maxBytes + 1 });
  if (bytes.byteLength > maxBytes) {
    throw E.SPEC_TOO_LARGE(`spec file ${path} is larger than ${maxBytes} bytes`, {
      file: path,
      pointer: '',
      expected: `at most ${maxBytes} bytes`,
    });
  }
  return decodeSpec(bytes, path);
}

function decodeSpec(bytes: Uint8Array, path: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const lenient = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const line = lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD'))).split('\n').length;
    throw E.SPEC_PARSE(`spec file ${path}: line ${line} is not valid UTF-8`, {
      file: path,
      line,
      pointer: '',
      expected: 'a JSON file in UTF-8',
    });
  }
}

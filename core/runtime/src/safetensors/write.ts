import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { endianness } from 'node:os';
import { DTYPES, elementCount, typedArrayFor, type DType, type TensorData } from '../graph/tensor-data.js';
import { outputTarget } from '../files/output-target.js';
import { E } from '../errors/runtime-errors.js';
import { dtypeSize, dtypeToFileDtype } from './dtypes.js';

/** Tensors to write, by name. */
export type TensorMap = Readonly<Record<string, TensorData>> | ReadonlyMap<string, TensorData>;

const KNOWN_DTYPES: ReadonlySet<string> = new Set<DType>(DTYPES);
const RESERVED_NAMES = new Set(['__metadata__', '__proto__', 'constructor', 'prototype']);

/**
 * Encodes tensors as a safetensors file. As in the reference implementation, tensors are laid out
 * by decreasing element size and then by name, so that every tensor is aligned for its type when
 * the file is read back, and the header is padded with spaces to a multiple of 8 bytes.
 * The header lists `__metadata__` first, then the tensors in that same order.
 */
export function serializeSafetensors(tensors: TensorMap, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  if (endianness() !== 'LE') throw E.INTERNAL('safetensors: writing needs a little-endian machine');
  // `instanceof Map` would widen the map to Map<any, any>; its entries keep their type this way.
  const entries: [string, TensorData][] =
    tensors instanceof Map
      ? [...(tensors as ReadonlyMap<string, TensorData>).entries()]
      : Object.entries(tensors as Record<string, TensorData>);
  for (const [name, t] of entries) checkTensor(name, t);
  for (const [key, value] of Object.entries(metadata)) {
    if (RESERVED_NAMES.has(key) || typeof value !== 'string') {
      throw E.WEIGHTS_INVALID(
        `safetensors metadata ${JSON.stringify(key)}: keys must be ordinary names and values strings`,
      );
    }
  }
  entries.sort(([a, ta], [b, tb]) => dtypeSize(tb.dtype) - dtypeSize(ta.dtype) || (a < b ? -1 : a > b ? 1 : 0));

  // Build the header as text so key order is exactly the layout order.
  const parts: string[] = [];
  if (Object.keys(metadata).length > 0) {
    const sortedMeta = Object.keys(metadata)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`);
    parts.push(`"__metadata__":{${sortedMeta.join(',')}}`);
  }
  let offset = 0;
  for (const [name, t] of entries) {
    const length = t.data.byteLength;
    parts.push(
      `${JSON.stringify(name)}:${JSON.stringify({ dtype: dtypeToFileDtype(t.dtype), shape: t.dims, data_offsets: [offset, offset + length] })}`,
    );
    offset += length;
  }
  const headerText = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(headerText.byteLength / 8) * 8;

  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(headerText, 8);
  out.fill(0x20, 8 + headerText.byteLength, 8 + headerLength);
  let at = 8 + headerLength;
  for (const [, t] of entries) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/**
 * Writes a safetensors file atomically: the bytes go to a temporary file in the same folder, are
 * flushed to disk, and the file is renamed over `path`, so a crash leaves either the old file or the
 * new one, never half of one. Failures are RECUR_E_IO.
 */
export async function writeSafetensors(
  path: string,
  tensors: TensorMap,
  metadata: Readonly<Record<string, string>> = {},
): Promise<void> {
  const bytes = serializeSafetensors(tensors, metadata);
  // A symbolic link is written through (its target replaced); a folder or special file is refused.
  const target = (await outputTarget(path, 'weights file', false)).path;
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw E.IO(`cannot write weights file ${path}: ${(err as Error).message}`, { file: path }, { cause: err });
  }
}

function checkTensor(name: string, t: TensorData): void {
  const fail = (message: string) => E.WEIGHTS_INVALID(`tensor ${JSON.stringify(name)}: ${message}`, { tensor: name });
  if (RESERVED_NAMES.has(name)) throw fail('this name is reserved');
  if (!t || !Array.isArray(t.dims) || !t.dims.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw fail('dims must be non-negative integers');
  if (!KNOWN_DTYPES.has(t.dtype)) throw fail(`unknown dtype ${JSON.stringify(t.dtype)}`);
  const Ctor = typedArrayFor(t.dtype) as unknown as typeof Uint8Array;
  if (!(t.data instanceof Ctor)) throw fail(`${t.dtype} data must be a ${Ctor.name}`);
  if (t.data.length !== elementCount(t.dims)) throw fail(`${t.data.length} values for shape [${t.dims.join(', ')}]`);
}

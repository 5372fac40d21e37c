import { readRegularFile } from '../files/regular-file.js';
import { endianness } from 'node:os';
import { elementCount, typedArrayFor, type DType, type TensorData, type TypedArray } from '../graph/tensor-data.js';
import { E } from '../errors/runtime-errors.js';
import { READABLE_FILE_DTYPES, fileDtypeSize, fileDtypeToDtype } from './dtypes.js';
import { MemoryWeightStore } from './memory-weight-store.js';
import type { WeightStore } from './weight-store.js';

/**
 * Largest header Recur accepts. The reference implementation uses the same 100 MB cap: a header
 * length beyond it is a corrupt or hostile file, not a model.
 */
export const MAX_HEADER_BYTES = 100_000_000;

/** Keys that would reach Object.prototype if a header were ever copied into a plain object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** One tensor of a safetensors header; `begin`/`end` count from the start of the data section. */
export interface SafetensorsEntry {
  readonly name: string;
  readonly fileDtype: string;
  readonly dims: number[];
  readonly begin: number;
  readonly end: number;
}

/**
 * Reads a safetensors file held in memory: an 8-byte little-endian header length N, N bytes of
 * JSON header (`{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}`), then
 * the data, contiguous and without holes. Every violation throws RECUR_E_WEIGHTS_INVALID naming
 * `source` and the tensor.
 *
 * Tensors whose bytes are aligned for their type are views into `bytes` (no copy; do not mutate
 * `bytes` afterwards); misaligned ones are copied.
 */
export function parseSafetensors(bytes: Uint8Array, source: string): WeightStore {
  const n = headerLength(bytes.subarray(0, 8), bytes.byteLength, source);
  const { entries, metadata, dataStart } = parseSafetensorsHeader(bytes.subarray(8, 8 + n), bytes.byteLength, source);
  const tensors = new Map<string, TensorData>();
  for (const entry of entries) {
    tensors.set(entry.name, toTensor(bytes, dataStart, entry));
  }
  return new MemoryWeightStore(tensors, metadata, source);
}

/**
 * Reads the 8-byte little-endian header length at the start of a safetensors file of `fileLength`
 * bytes and checks it against the cap and the file's size.
 */
export function headerLength(first8: Uint8Array, fileLength: number, source: string): number {
  if (endianness() !== 'LE') throw E.INTERNAL('safetensors: reading needs a little-endian machine', { file: source });
  const fail = failure(source);
  if (fileLength < 8 || first8.byteLength < 8)
    throw fail(`file has ${fileLength} bytes, fewer than the 8-byte header length`);
  const length = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(MAX_HEADER_BYTES))
    throw fail(`header length ${length} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const n = Number(length);
  if (8 + n > fileLength) throw fail(`header length ${n} runs past the end of the file (${fileLength} bytes)`);
  return n;
}

/**
 * Parses and checks the JSON header of a safetensors file of `fileLength` bytes: every entry well
 * formed, the tensors tiling the data section exactly. `dataStart` is where the data section begins.
 */
export function parseSafetensorsHeader(
  raw: Uint8Array,
  fileLength: number,
  source: string,
): { entries: SafetensorsEntry[]; metadata: Record<string, string>; dataStart: number } {
  const fail = failure(source);
  const header = parseHeader(raw, fail);
  const dataStart = 8 + raw.byteLength;
  const entries: SafetensorsEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, info] of Object.entries(header)) {
    if (FORBIDDEN_KEYS.has(name)) throw fail(`the key ${JSON.stringify(name)} is not allowed`, name);
    if (name === '__metadata__') metadata = readMetadata(info, fail);
    else entries.push(readEntry(name, info, fail));
  }
  checkLayout(entries, fileLength - dataStart, fail);
  return { entries, metadata, dataStart };
}

function failure(source: string): Fail {
  return (message: string, tensor?: string) =>
    E.WEIGHTS_INVALID(`${source}: ${tensor !== undefined ? `tensor ${JSON.stringify(tensor)}: ` : ''}${message}`, {
      file: source,
      ...(tensor !== undefined ? { tensor } : {}),
    });
}

/** Reads and parses a safetensors file; a missing or unreadable file is RECUR_E_IO. */
export async function readSafetensors(path: string): Promise<WeightStore> {
  return parseSafetensors(await readRegularFile(path, 'weights file'), path);
}

/** RECUR_E_IO for a weights file that cannot be opened or read. */
export function weightsIoError(path: string, err: unknown): Error {
  const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
  return E.IO(`cannot read weights file ${path}: ${reason}`, { file: path }, { cause: err });
}

type Fail = (message: string, tensor?: string) => Error;

function parseHeader(raw: Uint8Array, fail: Fail): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw fail('header is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw fail(`header is not JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail(
      `header must be a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}

function readMetadata(info: unknown, fail: Fail): Record<string, string> {
  if (typeof info !== 'object' || info === null || Array.isArray(info))
    throw fail('__metadata__ must be an object of strings');
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(info)) {
    if (FORBIDDEN_KEYS.has(key)) throw fail(`__metadata__ key ${JSON.stringify(key)} is not allowed`);
    if (typeof value !== 'string') throw fail(`__metadata__.${key} must be a string, got ${typeof value}`);
    out[key] = value;
  }
  return out;
}

function readEntry(name: string, info: unknown, fail: Fail): SafetensorsEntry {
  if (typeof info !== 'object' || info === null || Array.isArray(info))
    throw fail('entry must be an object {dtype, shape, data_offsets}', name);
  const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof dtype !== 'string' || fileDtypeSize(dtype) === undefined) {
    throw fail(`unknown dtype ${JSON.stringify(dtype)} (readable: ${READABLE_FILE_DTYPES.join(', ')})`, name);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw fail(`shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`, name);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw fail(`data_offsets must be [begin, end] with non-negative integers, got ${JSON.stringify(offsets)}`, name);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw fail(`data_offsets [${begin}, ${end}] end before they begin`, name);
  const count = elementCount(shape as number[]);
  const expected = count * fileDtypeSize(dtype)!;
  if (!Number.isSafeInteger(expected) || expected !== end - begin) {
    throw fail(`holds ${end - begin} bytes, but ${dtype} [${(shape as number[]).join(', ')}] needs ${expected}`, name);
  }
  return { name, fileDtype: dtype, dims: shape as number[], begin, end };
}

/** The spec requires the tensors to tile the data section exactly: no overlap, no hole, nothing after. */
function checkLayout(entries: readonly SafetensorsEntry[], dataLength: number, fail: Fail): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: SafetensorsEntry | undefined;
  for (const entry of sorted) {
    if (entry.end > dataLength) {
      throw fail(
        `data_offsets [${entry.begin}, ${entry.end}] run past the data section (${dataLength} bytes)`,
        entry.name,
      );
    }
    if (entry.begin < cursor) {
      throw fail(
        `data_offsets [${entry.begin}, ${entry.end}] overlap tensor ${JSON.stringify(previous!.name)} [${previous!.begin}, ${previous!.end}]`,
        entry.name,
      );
    }
    if (entry.begin > cursor) {
      throw fail(
        `bytes ${cursor}..${entry.begin} before it belong to no tensor (the data must be contiguous)`,
        entry.name,
      );
    }
    cursor = entry.end;
    previous = entry;
  }
  if (cursor !== dataLength) {
    throw fail(
      `the data section has ${dataLength} bytes but the tensors cover only ${cursor} (the data must be contiguous)`,
    );
  }
}

/** The tensor of `entry` from `bytes`, which holds a data section starting at `dataStart` (views where aligned). */
export function toTensor(bytes: Uint8Array, dataStart: number, entry: SafetensorsEntry): TensorData {
  const size = fileDtypeSize(entry.fileDtype)!;
  const count = (entry.end - entry.begin) / size;
  const absolute = bytes.byteOffset + dataStart + entry.begin;
  if (entry.fileDtype === 'BF16') {
    const out = new Float32Array(count);
    const bits = new Uint32Array(out.buffer);
    const view = new DataView(bytes.buffer, absolute, count * 2);
    for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
    return { dtype: 'float32', dims: entry.dims, data: out };
  }
  const dtype: DType = fileDtypeToDtype(entry.fileDtype)!;
  const Ctor = typedArrayFor(dtype);
  let data: TypedArray;
  if (absolute % size === 0) {
    data = new Ctor(bytes.buffer, absolute, count);
  } else {
    // Offsets in a file need not be aligned; typed arrays must be, so copy into fresh memory.
    data = new Ctor(bytes.buffer.slice(absolute, absolute + count * size), 0, count);
  }
  return { dtype, dims: entry.dims, data };
}

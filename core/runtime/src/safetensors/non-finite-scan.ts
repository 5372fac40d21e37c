import type { FileHandle } from 'node:fs/promises';
import { E } from '../errors/runtime-errors.js';
import type { SafetensorsEntry } from './read.js';

/** Bytes read per step of the scan: large enough to keep reads cheap, small enough to stay off the heap's radar. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Counts, per tensor, the NaN and ±Infinity values of the floating-point tensors of a safetensors
 * file, in one streaming pass over its data section (`CHUNK_BYTES` at a time: the weights are never
 * held whole in JavaScript, since ONNX Runtime reads them in place). A value is non-finite when its
 * exponent bits are all ones, which an integer mask tells without converting anything:
 * float32 0x7f800000, float16 0x7c00, bfloat16 0x7f80; float64 is tested with Number.isFinite.
 * Integer tensors cannot hold non-finite values and are skipped. Returns only tensors with a count.
 */
export async function countNonFinite(
  handle: FileHandle,
  entries: readonly SafetensorsEntry[],
  dataStart: number,
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const chunk = new Uint8Array(CHUNK_BYTES);
  for (const entry of entries) {
    const count = counterFor(entry.fileDtype);
    if (!count) continue;
    let total = 0;
    for (let at = entry.begin; at < entry.end;) {
      const length = Math.min(CHUNK_BYTES, entry.end - at);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(chunk, filled, length - filled, dataStart + at + filled);
        if (bytesRead === 0) throw new Error(`the file ended inside tensor ${entry.name}`);
        filled += bytesRead;
      }
      total += count(chunk.buffer, length);
      at += length;
    }
    if (total > 0) found.set(entry.name, total);
  }
  return found;
}

type Counter = (buffer: ArrayBufferLike, bytes: number) => number;

function counterFor(fileDtype: string): Counter | undefined {
  switch (fileDtype) {
    case 'F32':
      return (buffer, bytes) => countMasked(new Uint32Array(buffer, 0, bytes >>> 2), 0x7f800000);
    case 'F16':
      return (buffer, bytes) => countMasked(new Uint16Array(buffer, 0, bytes >>> 1), 0x7c00);
    case 'BF16':
      return (buffer, bytes) => countMasked(new Uint16Array(buffer, 0, bytes >>> 1), 0x7f80);
    case 'F64':
      return (buffer, bytes) => {
        const values = new Float64Array(buffer, 0, bytes >>> 3);
        let n = 0;
        for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) n++;
        return n;
      };
    default:
      return undefined;
  }
}

/** How many elements have every bit of `mask` set (all exponent bits: NaN or ±Infinity). */
function countMasked(values: Uint32Array | Uint16Array, mask: number): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if ((values[i] & mask) === mask) n++;
  return n;
}

/** RECUR_E_WEIGHTS_NON_FINITE naming the first tensor and its count, and listing the others. */
export function nonFiniteError(path: string, found: ReadonlyMap<string, number>): Error {
  const problems = [...found].map(([tensor, count]) => ({ tensor, count }));
  const lines = problems.map((p) => `${p.tensor}: ${p.count} value${p.count === 1 ? '' : 's'} NaN or ±Infinity`);
  const [first, ...rest] = lines;
  const shown = rest
    .slice(0, 10)
    .map((l) => `\n  ${l}`)
    .join('');
  const hidden = rest.length > 10 ? `\n  ... and ${rest.length - 10} more tensors` : '';
  return E.WEIGHTS_NON_FINITE(
    `${first} (weights ${path}); a model with non-finite weights gives meaningless answers, so it is refused${shown}${hidden}`,
    {
      file: path,
      tensor: problems[0].tensor,
      count: problems[0].count,
      problems,
      expected: 'finite weights: retrain, or restore the file from a good checkpoint',
    },
  );
}

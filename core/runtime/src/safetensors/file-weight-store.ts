import { realpath, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { DType, TensorData } from '../graph/tensor-data.js';
import { RecurError } from '../errors/recur-error.js';
import { fileDtypeToDtype } from './dtypes.js';
import { openRegularFile } from '../files/regular-file.js';
import { fileFingerprint, readFileRange } from './file-range.js';
import { countNonFinite, nonFiniteError } from './non-finite-scan.js';
import { headerLength, parseSafetensorsHeader, toTensor, weightsIoError, type SafetensorsEntry } from './read.js';
import type { TensorExtent, TensorInfo, WeightStore } from './weight-store.js';

/**
 * A safetensors file of which only the header has been read. Tensors are read from disk when asked
 * for (`get`), and `extent` tells where their bytes are, so that a compiled model can point ONNX
 * Runtime at the file (ONNX external data) and no copy of the weights passes through JavaScript: a
 * pipeline's load then needs the weights in memory once, in ONNX Runtime, rather than three times.
 */
export class FileWeightStore implements WeightStore {
  private readonly entries: ReadonlyMap<string, SafetensorsEntry>;
  private readonly sortedNames: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;

  private constructor(
    readonly source: string,
    /** The file with symbolic links resolved: what extents point into. */
    private readonly realPath: string,
    entries: readonly SafetensorsEntry[],
    metadata: Readonly<Record<string, string>>,
    private readonly dataStart: number,
    /** Size and modification time: tells a changed file from the one read. */
    readonly fingerprint: string,
  ) {
    this.entries = new Map(entries.map((e) => [e.name, e]));
    this.sortedNames = Object.freeze(entries.map((e) => e.name).sort());
    this.metadata = Object.freeze(Object.assign(Object.create(null) as Record<string, string>, metadata));
  }

  /**
   * Reads and checks the header of the safetensors file at `path`, then scans its floating-point
   * data once for NaN and ±Infinity (RECUR_E_WEIGHTS_NON_FINITE names the tensor and the count).
   * RECUR_E_IO when it cannot be read or is not a regular file, RECUR_E_PATH_NOT_FOUND when missing.
   */
  static async open(path: string): Promise<FileWeightStore> {
    const handle: FileHandle = await openRegularFile(path, 'weights file');
    try {
      const stat = await handle.stat();
      const first8 = new Uint8Array(8);
      await handle.read(first8, 0, 8, 0);
      const n = headerLength(first8, stat.size, path);
      const raw = new Uint8Array(n);
      await handle.read(raw, 0, n, 8);
      const { entries, metadata, dataStart } = parseSafetensorsHeader(raw, stat.size, path);
      const nonFinite = await countNonFinite(handle, entries, dataStart);
      if (nonFinite.size > 0) throw nonFiniteError(path, nonFinite);
      return new FileWeightStore(path, await realpath(path), entries, metadata, dataStart, fileFingerprint(stat));
    } catch (err) {
      if (RecurError.is(err)) throw err;
      throw weightsIoError(path, err);
    } finally {
      await handle.close();
    }
  }

  names(): string[] {
    return [...this.sortedNames];
  }

  info(name: string): TensorInfo | undefined {
    const entry = this.entries.get(name);
    return entry ? { dtype: fileDtypeToDtype(entry.fileDtype)!, dims: entry.dims } : undefined;
  }

  get(name: string): TensorData | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    const length = entry.end - entry.begin;
    let bytes: Uint8Array;
    try {
      bytes = readFileRange(this.realPath, this.dataStart + entry.begin, length);
    } catch (err) {
      throw weightsIoError(this.source, err);
    }
    return toTensor(bytes, 0, { ...entry, begin: 0, end: length });
  }

  extent(name: string): TensorExtent | undefined {
    const entry = this.entries.get(name);
    // bfloat16 has no TensorData type and is widened when read: it cannot be used in place.
    if (!entry || entry.fileDtype === 'BF16') return undefined;
    return {
      dir: dirname(this.realPath),
      file: basename(this.realPath),
      offset: this.dataStart + entry.begin,
      length: entry.end - entry.begin,
      dtype: fileDtypeToDtype(entry.fileDtype) as DType,
      fingerprint: this.fingerprint,
    };
  }
}

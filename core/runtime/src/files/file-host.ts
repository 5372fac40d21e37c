import type { ErrorFactory } from '../errors/define-errors.js';
import type { WeightStore } from '../safetensors/weight-store.js';

/**
 * How the runtime and the plugins reach a pipeline's files: the spec text, tokenizer files, the
 * weights, user ONNX models and their external data. A location is a string the host understands:
 * an absolute path for the Node host, an absolute URL for a browser host. Nothing outside a host
 * takes a location apart; references are resolved, compared and read only through it, so the same
 * spec, plugins and task code run on every host.
 *
 * The containment rule (no reference may leave the spec's base, or a root the caller allows) is
 * stated once, in terms of this interface: a reference is resolved against the spec's folder with
 * `resolve`, followed to where it really points with `locate`, and must then be `contains`-ed by one
 * of the roots (themselves `locate`-d). See `spec/file-refs.ts`.
 *
 * Operations only some hosts have are optional: `openWeights` (a Node store that keeps the tensors on
 * disk and gives ONNX Runtime their file extents, so no copy passes through JavaScript). Without it,
 * the runtime reads the weights file whole with `read` and parses it in memory.
 */
export interface FileHost {
  /**
   * The folder relative locations resolve against when no spec location gives one (a spec given as
   * an object without `baseDir`): Node's working folder; a browser page's URL.
   */
  base(): string;
  /** The folder that holds `location` (the spec's base is the folder of the spec's location). */
  dirname(location: string): string;
  /**
   * `ref` (a path as written in a spec, relative or absolute) resolved against the folder `folder`.
   * Lexical only: links are not followed and nothing is read.
   */
  resolve(folder: string, ref: string): string;
  /**
   * Where `location` really points and whether something is there. The Node host follows symbolic
   * links (also dangling ones, to where they point, so a link out of the tree is caught before its
   * target exists); a URL host answers the URL itself. Never throws for a missing file.
   */
  locate(location: string): Promise<FileStatus>;
  /**
   * True when the located `location` is the folder `root` or lies below it, compared by path
   * segments (`/a/spec-evil` is not inside `/a/spec`). Both sides come from `locate`.
   */
  contains(root: string, location: string): boolean;
  /**
   * Reads a regular file's bytes. Anything that is not a regular file (a folder, a FIFO, a device)
   * is refused at once with RECUR_E_IO naming what it is, never waited on; a missing file throws
   * `options.missing` (RECUR_E_IO when not given), naming the location. `what` names the file in
   * those messages ("spec file", "tokenizer file", "ONNX model").
   */
  read(location: string, what: string, options?: FileReadOptions): Promise<Uint8Array>;
  /**
   * Optional: opens a safetensors weights file as a store that reads tensors on demand and tells
   * their extents in the file (`WeightStore.extent`), so compiled units can point ONNX Runtime at the
   * file (external data) instead of carrying the bytes. It checks what `parseSafetensors` checks and
   * scans for NaN and ±Infinity (RECUR_E_WEIGHTS_NON_FINITE).
   */
  openWeights?(location: string): Promise<WeightStore>;
}

/** What `FileHost.locate` found. */
export interface FileStatus {
  /** The location with links followed (the Node host's real path); what containment compares. */
  readonly location: string;
  /** Whether a file (of any kind) is there. */
  readonly exists: boolean;
  /**
   * Set when what is there is not a regular file: what it is, in words for a message ("a folder",
   * "a FIFO (named pipe)"). A host that cannot tell leaves it unset and lets `read` refuse it.
   */
  readonly notRegular?: string;
}

/** Options of `FileHost.read`. */
export interface FileReadOptions {
  /** The error a missing file throws (a contract's own code, e.g. RECUR_E_PATH_NOT_FOUND). @defaultValue RECUR_E_IO */
  readonly missing?: ErrorFactory;
  /** First byte to read. @defaultValue 0 */
  readonly offset?: number;
  /**
   * Read at most this many bytes from `offset`; fewer come back when the file ends first (the
   * caller judges a short read). Spec files are read with their size limit plus one, so that a
   * multi-gigabyte file is refused without being read. @defaultValue to the end of the file
   */
  readonly length?: number;
}

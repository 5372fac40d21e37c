import type { FileHost } from '../files/file-host.js';
/**
 * Public types of spec validation. A spec is a JSON object; `validateSpec` checks it in one pass and
 * reports every problem at once, `loadSpec` does the same and throws when it is not valid.
 */
import type { RecurError } from '../errors/recur-error.js';
import type { PartBlock } from '../plugins/plugin-api.js';
import type { PluginRegistry } from '../plugins/registry.js';

/**
 * Why a spec is being checked; it decides what a missing file means.
 * - `validate`: a missing weights file is a warning ("run recur train").
 * - `run`: a missing weights file is `RECUR_E_WEIGHTS_MISSING`.
 * - `train`: a missing weights file is fine (training writes it); training inputs must exist.
 * - `weights-given`: the caller brings the weights (`load` with `weights` or `initialize`: the
 *   trainer's own evaluation, `recur eval`, `recur init`), so a missing weights file is fine, and
 *   training inputs are not read (evaluation must not need training-only files).
 */
export type SpecPurpose = 'validate' | 'run' | 'train' | 'weights-given';

/** Caps applied to a spec before it is parsed and before schema validation. */
export interface SpecLimits {
  /** Largest spec, in UTF-8 bytes. @defaultValue 1 MiB */
  readonly maxBytes: number;
  /** Deepest nesting of objects and arrays. @defaultValue 64 */
  readonly maxDepth: number;
  /** Longest string (keys included), in characters of the JSON text. @defaultValue 64 KiB */
  readonly maxStringLength: number;
  /** Most object keys in the whole spec. @defaultValue 10,000 */
  readonly maxKeys: number;
}

/** Options of `validateSpec` and `loadSpec`. */
export interface ValidateSpecOptions {
  /** The plugins whose option schemas are merged into the spec schema. */
  readonly registry: PluginRegistry;
  /**
   * Path of the spec file. File references in the spec resolve against its folder, and may not leave
   * that folder's tree. @defaultValue a spec in the current working directory
   */
  readonly specPath?: string;
  /** Further folders file references may point into (resolved against the working directory). */
  readonly allowRoots?: readonly string[];
  /** What the spec is checked for. @defaultValue 'validate' */
  readonly purpose?: SpecPurpose;
  /** `--set` overrides, `encoder.hidden=512` or `/encoder/hidden=512`, applied before validation. */
  readonly overrides?: readonly string[];
  /** Size caps; unspecified fields keep their defaults. */
  readonly limits?: Partial<SpecLimits>;
  /** Where the spec's files are located and checked. @defaultValue the Node file host */
  readonly fileHost?: FileHost;
}

/** How a file reference is used, which decides what its absence means. */
export type FileRole =
  /** The pipeline's weights: written by `recur train`, read by `recur run`. */
  | 'weights'
  /** A tokenizer file: written by tokenizer training when `train.tokenizer` is set, else read. */
  | 'tokenizer'
  /** Read only by `recur train` (data, vectors, a model to fine-tune). */
  | 'train-input'
  /** Read whenever the pipeline is built (a bring-your-own `.onnx` file, vocabularies). */
  | 'file';

/** One file the spec refers to, after resolution. */
export interface SpecFileRef {
  /** JSON pointer of the string in the spec (`/tokenizer/path`). */
  readonly pointer: string;
  /** The string as written in the spec. */
  readonly value: string;
  /** Absolute path with symlinks resolved (as far as the path exists). */
  readonly path: string;
  readonly exists: boolean;
  readonly role: FileRole;
}

/**
 * A pipeline spec after validation. Known keys are typed loosely: their exact shape belongs to the
 * registered plugins, whose schemas were checked already.
 */
export interface PipelineSpec {
  readonly $schema?: string;
  readonly name: string;
  readonly version?: number | string;
  readonly description?: string;
  readonly task: string;
  readonly plugins?: readonly string[];
  readonly tokenizer?: PartBlock;
  readonly embedding?: PartBlock;
  readonly encoder?: PartBlock;
  readonly decoder?: PartBlock;
  readonly head?: PartBlock;
  readonly source?: { readonly tokenizer: PartBlock; readonly embedding: PartBlock; readonly encoder: PartBlock };
  readonly target?: { readonly tokenizer: PartBlock; readonly embedding: PartBlock };
  readonly weights?: string;
  readonly runtime?: Readonly<Record<string, unknown>>;
  readonly train?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** What `validateSpec` returns. It never throws for bad input: every problem is in `errors`. */
export interface ValidationResult {
  /** True when `errors` is empty. Warnings do not make a spec invalid. */
  readonly ok: boolean;
  /**
   * The spec with overrides applied, every default written out and bare type names replaced by
   * their versioned names; undefined when the input could not be parsed into an object.
   */
  readonly spec: PipelineSpec | undefined;
  /** Every problem, each with a stable code and a JSON pointer (`""` for the whole spec). */
  readonly errors: RecurError[];
  /** Things worth saying that do not block, such as weights that training has not written yet. */
  readonly warnings: RecurError[];
  /** Every file reference that was checked. */
  readonly files: SpecFileRef[];
  /** Absolute folder (symlinks resolved) that relative paths resolve against. */
  readonly specDir: string;
  /** Absolute path of the spec file, when there is one. */
  readonly specPath: string | undefined;
}

/** A valid spec, as `loadSpec` returns it. */
export interface LoadedSpec {
  readonly spec: PipelineSpec;
  readonly specPath: string | undefined;
  readonly specDir: string;
  readonly files: SpecFileRef[];
  readonly warnings: RecurError[];
}

import type { ServiceIdentifier } from 'inversify';
import type { CellPart, EmbeddingPart, EncoderPart, HeadPart, TokenizerPart } from './part-contracts.js';
import type { TaskPart } from './task-contract.js';
import type { Logger } from '../logger.js';
import { E } from '../errors/runtime-errors.js';

/** The kinds of part a plugin can add. */
export const PART_KINDS = ['tokenizer', 'embedding', 'cell', 'encoder', 'decoder', 'head', 'task'] as const;
export type PartKind = (typeof PART_KINDS)[number];

/** The interface a part of each kind implements. Decoders are defined by the translation task. */
export interface PartOfKind {
  tokenizer: TokenizerPart;
  embedding: EmbeddingPart;
  cell: CellPart;
  encoder: EncoderPart;
  decoder: unknown;
  head: HeadPart;
  task: TaskPart;
}

/** A JSON Schema (2020-12) object; kept loose so plugins can use any keyword ajv knows. */
export type JsonSchema = Record<string, unknown>;

/** A block of a spec: `{ "type": "lstm", ...options }`. */
export interface PartBlock {
  readonly type: string;
  readonly [option: string]: unknown;
}

/** Sizes that flow from the previous part, so a spec never repeats a dimension. */
export interface UpstreamDims {
  /** Vocabulary size of the tokenizer feeding an embedding. */
  readonly vocabSize?: number;
  /** Feature size of the tensor a part receives. */
  readonly inputDim?: number;
}

/** What a factory receives besides its options. */
export interface PartContext {
  /** JSON pointer of this block in the spec (`/encoder`). */
  readonly pointer: string;
  /** Absolute folder of the spec file; relative paths in options were already resolved against it. */
  readonly specDir: string;
  readonly dims: UpstreamDims;
  readonly logger: Logger;
  /** Creates a nested part, such as the cell inside an encoder, from its block. */
  create<K extends PartKind>(kind: K, block: PartBlock, pointer: string, dims?: UpstreamDims): Promise<PartOfKind[K]>;
  /**
   * Resolves a path option (already checked by validation) to its location: an absolute path on
   * Node, a URL in a browser. Read it with `ctx.get(TOKENS.fileHost).read(location, 'what')`.
   */
  resolvePath(path: string, pointer: string): string;
  /**
   * A service of the pipeline's container by its typed token (`TOKENS.backend`, `TOKENS.logger`,
   * `TOKENS.fileHost`, `TOKENS.spec`, `TOKENS.dims`, ...): what an application bound for this
   * pipeline, so a part uses the same backend, logger and file host as the rest of it.
   */
  get<T>(token: ServiceIdentifier<T>): T;
}

/** A plugin as its author declares it. */
export interface PluginDeclaration<K extends PartKind = PartKind, O = Record<string, unknown>> {
  readonly kind: K;
  /** Versioned name (`lstm.v1`); the bare name (`lstm`) is an alias of the newest version. */
  readonly type: string;
  /** One sentence for the generated spec reference. */
  readonly description: string;
  /**
   * JSON Schema of the block's options, without `type` (Recur adds it). Every property needs a
   * `description`. Use `partSchema('cell')` to accept a nested part.
   */
  readonly options: JsonSchema;
  /** Other names that mean this plugin (task aliases: `sentiment-analysis`). */
  readonly aliases?: readonly string[];
  /** Semver-style range of @recur/runtime this plugin works with: `^0.1`. */
  readonly runtime?: string;
  /** Task plugins: the top-level spec keys the task requires (`tokenizer`, `embedding`, `encoder`, `head`). */
  readonly slots?: readonly string[];
  /**
   * Task plugins: the training objective `recur train` uses for this task (`classification`,
   * `language-model`, `seq2seq`). The trainer knows objectives, not task names, so a third-party task
   * that trains like a built-in one names the same objective.
   */
  readonly objective?: string;
  /**
   * Task plugins: JSON Schema of the call-time options (`run(input, { topK: 2 })`), every property
   * described. Calls are checked against it before they run (unknown keys refused with a suggestion,
   * values against their bounds), in the library, the CLI and the server alike. `signal` is common to
   * every task and must not be listed; a callback option is marked `"x-recur-function": true`.
   */
  readonly callOptions?: JsonSchema;
  /** Tokenizer plugins: option names holding file paths (resolved against the spec and checked). */
  readonly pathOptions?: readonly string[];
  create(options: O, ctx: PartContext): PartOfKind[K] | Promise<PartOfKind[K]>;
}

/** A declared plugin: its declaration plus the name and version parsed from its type. */
export interface PluginDefinition<K extends PartKind = PartKind, O = Record<string, unknown>> extends PluginDeclaration<
  K,
  O
> {
  /** Bare name and version parsed from `type`. */
  readonly baseName: string;
  readonly version: number;
}

const TYPE_PATTERN = /^([a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)*?)\.v([1-9][0-9]*)$/;

export function parseTypeName(type: string): { baseName: string; version: number } | undefined {
  const m = TYPE_PATTERN.exec(type);
  return m ? { baseName: m[1], version: Number(m[2]) } : undefined;
}

/**
 * Declares a plugin. Built-in parts use exactly this function; nothing is registered until the
 * caller passes the result to `PluginRegistry.register` (no import side effects).
 *
 * @example
 * export const mguCell = definePlugin({
 *   kind: 'cell', type: 'mgu.v1', description: 'Minimal gated unit.',
 *   options: { type: 'object', properties: {} },
 *   create: () => ({ stateNames: ['h'], declare: (g, input, hidden) => ({ step: ... }) }),
 * });
 */
export function definePlugin<K extends PartKind, O = Record<string, unknown>>(
  decl: PluginDeclaration<K, O>,
): PluginDefinition<K, O> {
  const where = `plugin ${String(decl?.type)}`;
  if (!decl || typeof decl !== 'object') throw E.PLUGIN_INVALID('definePlugin expects an object', {});
  if (!(PART_KINDS as readonly string[]).includes(decl.kind)) {
    throw E.PLUGIN_INVALID(`${where}: kind must be one of ${PART_KINDS.join(', ')}, got ${JSON.stringify(decl.kind)}`, {
      expected: PART_KINDS.join(' | '),
    });
  }
  const parsed = typeof decl.type === 'string' ? parseTypeName(decl.type) : undefined;
  if (!parsed) {
    throw E.PLUGIN_INVALID(`${where}: type must be a versioned name such as "lstm.v1"`, { expected: 'name.vN' });
  }
  if (typeof decl.description !== 'string' || decl.description.length === 0)
    throw E.PLUGIN_INVALID(`${where}: description is required`, {});
  if (!decl.options || typeof decl.options !== 'object' || decl.options['type'] !== 'object') {
    throw E.PLUGIN_INVALID(`${where}: options must be a JSON Schema with "type": "object"`, {});
  }
  if (
    decl.callOptions !== undefined &&
    (decl.kind !== 'task' || typeof decl.callOptions !== 'object' || decl.callOptions['type'] !== 'object')
  ) {
    throw E.PLUGIN_INVALID(
      `${where}: callOptions is for task plugins and must be a JSON Schema with "type": "object"`,
      {},
    );
  }
  if (typeof decl.create !== 'function') throw E.PLUGIN_INVALID(`${where}: create must be a function`, {});
  return Object.freeze({ ...decl, ...parsed });
}

/**
 * A plugin definition whatever its options type: what registries store and accept. (Options are
 * checked by the schema at validation time, so the registry does not need their static type.)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPluginDefinition = PluginDefinition<PartKind, any>;

/** A schema reference to "any registered part of this kind", for options that nest a part. */
export function partSchema(kind: PartKind): JsonSchema {
  return { $ref: `#/$defs/part.${kind}` };
}

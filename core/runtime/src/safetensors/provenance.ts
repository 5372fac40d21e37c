import { createHash } from 'node:crypto';
import { RUNTIME_VERSION } from '../version.js';
import { E } from '../errors/runtime-errors.js';
import type { WeightStore } from './weight-store.js';

/** The `__metadata__` keys Recur writes into its weight files. */
export const PROVENANCE_KEYS = Object.freeze({
  recurVersion: 'recur_version',
  specHash: 'spec_sha256',
  modelHash: 'model_sha256',
  tokenizerHash: 'tokenizer_sha256',
  trainingCommand: 'training_command',
  trainingData: 'training_data',
  created: 'created',
});

export interface ProvenanceInput {
  /** The spec the weights belong to, as file text or as a parsed object. */
  readonly spec: string | Readonly<Record<string, unknown>>;
  /**
   * The effective spec the weights were made for (overrides applied, defaults filled: what
   * `loadSpec` returns), for `model_sha256`, which loaders compare. @defaultValue `spec`
   */
  readonly modelSpec?: Readonly<Record<string, unknown>>;
  /** The tokenizer file(s) the weights were trained with (two for translation: source, target). */
  readonly tokenizer?: Uint8Array | readonly Uint8Array[];
  /** The command that trained the weights (`recur train pipelines/x.json --data ...`). */
  readonly trainingCommand?: string;
  /** What the weights were trained on: a description, or an object (paths, hashes, sizes) stored as JSON. */
  readonly data?: string | Readonly<Record<string, unknown>>;
  /** @defaultValue now */
  readonly created?: Date;
}

/**
 * JSON with object keys sorted at every level and no whitespace, so that two specs that mean the
 * same thing (key order, formatting) hash the same.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 (hex) of the canonical JSON of a spec given as text or object. Text that is not JSON is RECUR_E_SPEC_PARSE. */
export function specHash(spec: string | Readonly<Record<string, unknown>>): string {
  let value: unknown = spec;
  if (typeof spec === 'string') {
    try {
      value = JSON.parse(spec);
    } catch (err) {
      throw E.SPEC_PARSE(`cannot hash the spec: ${(err as Error).message}`, {}, { cause: err });
    }
  }
  return sha256(canonicalJson(value));
}

/**
 * Top-level spec keys that do not shape the weights: a model hash leaves them out, so that editing a
 * description or the runtime's thread count does not make trained weights look foreign.
 */
const NOT_MODEL_KEYS: ReadonlySet<string> = new Set([
  '$schema',
  'name',
  'description',
  'version',
  'runtime',
  'train',
  'weights',
  'plugins',
]);

/**
 * Blocks of the head that hold the defaults of call options (sampling for generation, the search for
 * translation): a call may change them at will, so they do not shape the weights either, and a new
 * call option with a default (such as `minNewTokens`) must not make every trained model look foreign.
 */
const CALL_DEFAULT_BLOCKS: ReadonlySet<string> = new Set(['generate', 'search']);

/**
 * sha256 (hex) of the parts of an effective spec (overrides applied, defaults filled) that shape the
 * weights: every top-level block except name, description, version, runtime, train, weights and
 * plugins, and the head without its call defaults (`generate`, `search`). Weights record it as
 * `model_sha256`; a loader compares it with the spec it loads.
 */
export function modelHash(spec: Readonly<Record<string, unknown>>): string {
  const model = Object.fromEntries(
    Object.entries(spec)
      .filter(([k]) => !NOT_MODEL_KEYS.has(k))
      .map(([k, v]) => [k, k === 'head' ? withoutCallDefaults(v) : v]),
  );
  return sha256(canonicalJson(model));
}

function withoutCallDefaults(head: unknown): unknown {
  if (!head || typeof head !== 'object' || Array.isArray(head)) return head;
  return Object.fromEntries(Object.entries(head).filter(([k]) => !CALL_DEFAULT_BLOCKS.has(k)));
}

/** sha256 (hex) of a tokenizer file; for several files, their hashes joined by commas, in order. */
export function tokenizerHash(files: Uint8Array | readonly Uint8Array[]): string {
  const list = files instanceof Uint8Array ? [files] : files;
  return list.map((f) => sha256(f)).join(',');
}

/** The `__metadata__` Recur records in a weights file it writes (all values are strings). */
export function provenanceMetadata(input: ProvenanceInput): Record<string, string> {
  const out: Record<string, string> = {
    [PROVENANCE_KEYS.recurVersion]: RUNTIME_VERSION,
    [PROVENANCE_KEYS.specHash]: specHash(input.spec),
    [PROVENANCE_KEYS.modelHash]: modelHash(input.modelSpec ?? parsedSpec(input.spec)),
    [PROVENANCE_KEYS.created]: (input.created ?? new Date()).toISOString(),
  };
  if (input.tokenizer !== undefined) out[PROVENANCE_KEYS.tokenizerHash] = tokenizerHash(input.tokenizer);
  if (input.trainingCommand !== undefined) out[PROVENANCE_KEYS.trainingCommand] = input.trainingCommand;
  if (input.data !== undefined)
    out[PROVENANCE_KEYS.trainingData] = typeof input.data === 'string' ? input.data : canonicalJson(input.data);
  return out;
}

/** A spec given as text or object, as an object. */
function parsedSpec(spec: string | Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  if (typeof spec !== 'string') return spec;
  try {
    const value: unknown = JSON.parse(spec);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch (err) {
    throw E.SPEC_PARSE(`cannot hash the spec: ${(err as Error).message}`, {}, { cause: err });
  }
}

/** What a loader compares a weights file's provenance with. */
export interface ProvenanceExpectation {
  /** `specHash(spec)` of the spec being loaded (the whole file: any edit changes it). */
  readonly specHash?: string;
  /** `modelHash(spec)` of the effective spec being loaded: what pipelines compare. */
  readonly modelHash?: string;
  /** `tokenizerHash(files)` of the tokenizer file(s) being loaded. */
  readonly tokenizerHash?: string;
}

/**
 * Compares a weights file's recorded provenance with what is being loaded and returns one warning
 * per difference (empty when everything matches or the file records nothing, e.g. weights made
 * outside Recur). The caller decides whether a warning refuses the load.
 */
export function checkProvenance(store: WeightStore, expected: ProvenanceExpectation): string[] {
  const meta = store.metadata;
  const warnings: string[] = [];
  const recorded = (key: string) => (Object.hasOwn(meta, key) ? meta[key] : undefined);
  const compare = (key: string, want: string | undefined, what: string) => {
    const have = recorded(key);
    if (want === undefined || have === undefined || have === want) return;
    warnings.push(
      `${store.source}: the weights were made with another ${what} (${key} ${short(have)}, loading ${short(want)})`,
    );
  };
  compare(PROVENANCE_KEYS.specHash, expected.specHash, 'spec');
  compare(
    PROVENANCE_KEYS.modelHash,
    expected.modelHash,
    'spec (its model blocks: tokenizer, embedding, encoder, head, ...)',
  );
  compare(PROVENANCE_KEYS.tokenizerHash, expected.tokenizerHash, 'tokenizer file');
  const version = recorded(PROVENANCE_KEYS.recurVersion);
  if (version !== undefined && major(version) !== major(RUNTIME_VERSION)) {
    warnings.push(`${store.source}: the weights were written by Recur ${version}, this is ${RUNTIME_VERSION}`);
  }
  return warnings;
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function short(hash: string): string {
  return hash
    .split(',')
    .map((h) => h.slice(0, 12))
    .join(',');
}

/** The part of a version that breaks compatibility: `0.x` for 0-versions, else the major. */
function major(version: string): string {
  const [a, b] = version.split('.');
  return a === '0' ? `0.${b}` : a;
}

/**
 * Turns ajv's errors into Recur errors: one per problem, each with a stable code, the JSON pointer,
 * what was expected in words and, for unknown names, the nearest known ones. ajv reports some
 * problems several times (a failed `if/then`, every branch of an `anyOf`); those echoes are dropped.
 */
import type { ErrorObject } from 'ajv';
import { E } from '../errors/runtime-errors.js';
import { RecurError } from '../errors/recur-error.js';
import { nearestNames } from '../errors/suggest.js';
import type { JsonSchema, PartKind } from '../plugins/plugin-api.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { describeSchema } from './describe-schema.js';
import { childPointer, comparePointers, describePointer } from './json-pointer.js';
import { KEYWORD_KIND, KEYWORD_PLUGIN, KEYWORD_TASK } from './schema-keywords.js';

/** Most schema problems listed for one spec. */
const MAX_REPORTED = 100;

/** A value as shown in a message: short, and never the whole of a long string. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    // undefined for a function or symbol: name its kind instead
    text = JSON.stringify(value) ?? `(a ${typeof value})`;
  } catch {
    // a bigint, or an object with a cycle
    text = typeof value === 'bigint' ? `${value.toString()}n` : `(a ${typeof value})`;
  }
  return text.length > 48 ? `${text.slice(0, 45)}...` : text;
}

function parentSchemaOf(error: ErrorObject): JsonSchema {
  return error.parentSchema ?? {};
}

function unknownName(kind: string, value: unknown, pointer: string, registry: PluginRegistry): RecurError {
  if (typeof value !== 'string') {
    return E.SPEC_INVALID(`${pointer} must be a string naming a registered ${kind} (got ${showValue(value)})`, {
      pointer,
      expected: `a registered ${kind}: ${registry.names(kind as PartKind).join(', ') || '(none)'}`,
    });
  }
  if (kind === 'task') {
    const known = registry.names('task');
    const suggestions = nearestNames(value, known);
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
    return E.TASK_UNSUPPORTED(
      `"${value.slice(0, 100)}" is not a registered task.${hint} Supported tasks: ${known.join(', ') || '(none)'}`,
      {
        pointer,
        expected: `one of: ${known.join(', ')}`,
        suggestions,
      },
    );
  }
  try {
    registry.resolve(kind as PartKind, value, pointer);
  } catch (error) {
    if (RecurError.is(error)) return error;
    throw error;
  }
  // The schema and the registry disagree: the schema is built from the registry, so this is a fault.
  return E.INTERNAL(`${pointer}: "${value}" resolves in the registry but not in the schema`, { pointer });
}

function translateOne(error: ErrorObject, registry: PluginRegistry): RecurError | undefined {
  const pointer = error.instancePath;
  const parent = parentSchemaOf(error);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      return undefined; // the failing `then` reports the problem itself
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(params['additionalProperty'] ?? params['unevaluatedProperty']);
      const known = Object.keys((parent['properties'] as Record<string, unknown> | undefined) ?? {});
      const suggestions = nearestNames(key, known);
      const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
      const at = childPointer(pointer, key);
      // Name the plugin (and so its version) whose options these are: `cellx` may mean v2, not v1.
      const plugin =
        typeof parent[KEYWORD_PLUGIN] === 'string' ? ` (options of ${parent[KEYWORD_PLUGIN].replace(':', ' "')}")` : '';
      return E.SPEC_UNKNOWN_KEY(
        `${describePointer(pointer)} has an unknown key "${key.slice(0, 100)}"${plugin}.${hint} Known keys: ${known.join(', ') || '(none)'}`,
        {
          pointer: at,
          expected: known.length > 0 ? `one of the keys: ${known.join(', ')}` : 'no keys',
          suggestions,
        },
      );
    }
    case 'required': {
      const key = String(params['missingProperty']);
      const task = parent[KEYWORD_TASK];
      const where = describePointer(pointer);
      const message =
        typeof task === 'string'
          ? `the task "${task}" needs "${key}", which the spec does not have`
          : `${where} is missing the required key "${key}"`;
      return E.SPEC_INVALID(message, { pointer: childPointer(pointer, key), expected: `"${key}" to be present` });
    }
    case 'false schema':
      return E.SPEC_UNKNOWN_KEY(`${describePointer(pointer)} is not allowed here`, {
        pointer,
        expected: 'this key to be absent',
      });
    default: {
      const kind = parent[KEYWORD_KIND];
      if (
        typeof kind === 'string' &&
        (error.keyword === 'enum' || error.keyword === 'not' || error.keyword === 'type')
      ) {
        return unknownName(kind, error.data, pointer, registry);
      }
      const expected = describeSchema(parent);
      return E.SPEC_INVALID(`${describePointer(pointer)} must be ${expected} (got ${showValue(error.data)})`, {
        pointer,
        expected,
        keyword: error.keyword,
      });
    }
  }
}

/** Drops the errors that only echo an `anyOf`/`oneOf` failure: the combined error stands for them. */
function withoutBranchEchoes(errors: readonly ErrorObject[]): ErrorObject[] {
  const combined = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (combined.length === 0) return [...errors];
  return errors.filter(
    (e) =>
      !combined.some(
        (c) =>
          c !== e &&
          e.schemaPath.startsWith(`${c.schemaPath}/`) &&
          (e.instancePath === c.instancePath || e.instancePath.startsWith(`${c.instancePath}/`)),
      ),
  );
}

/**
 * Translates the errors of one validation. The result has at most one value error per pointer, and is
 * sorted by pointer so that a report reads top to bottom like the spec.
 */
export function translateAjvErrors(
  errors: readonly ErrorObject[] | null | undefined,
  registry: PluginRegistry,
): RecurError[] {
  const out: RecurError[] = [];
  const seen = new Set<string>();
  for (const error of withoutBranchEchoes(errors ?? [])) {
    const translated = translateOne(error, registry);
    if (!translated) continue;
    // Unknown and missing keys name their own pointers, so one pointer is one problem (ajv reports a
    // wrong type and a failed enum on the same value, for instance).
    const key = translated.pointer ?? '';
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(translated);
  }
  out.sort((a, b) => comparePointers(a.pointer ?? '', b.pointer ?? ''));
  if (out.length <= MAX_REPORTED) return out;
  // A long list of the same mistake (a thousand wrong items) helps nobody; say how many were left out.
  const shown = out.slice(0, MAX_REPORTED);
  shown.push(
    E.SPEC_INVALID(`... and ${out.length - MAX_REPORTED} more problems not listed; fix the ones above first`, {
      pointer: '',
      omitted: out.length - MAX_REPORTED,
    }),
  );
  return shown;
}

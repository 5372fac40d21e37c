/**
 * `--set path=value` overrides. The path is dotted (`encoder.hidden`, `head.labels.0`) or a JSON
 * pointer (`/encoder/hidden`); the value is JSON when it parses as JSON (`512`, `true`, `["a","b"]`)
 * and a plain string otherwise (`--set name=my-model`). Missing objects on the way are created.
 * Every malformed override is reported, each as `RECUR_E_SPEC_OVERRIDE` (a usage error, exit 2).
 */
import { E } from '../errors/runtime-errors.js';
import type { RecurError } from '../errors/recur-error.js';
import { parsePointer, toPointer } from './json-pointer.js';
import { DEFAULT_SPEC_LIMITS, FORBIDDEN_KEYS, resolveLimits } from './limits.js';
import { jsonTypeName, parseJsonText } from './parse-spec-text.js';
import { sanitizeJsonValue } from './sanitize-value.js';
import { aggregateErrors } from './spec-errors.js';
import type { SpecLimits } from './spec-types.js';

const INDEX = /^(0|[1-9][0-9]{0,8})$/;

interface ParsedOverride {
  readonly segments: string[];
  readonly value: unknown;
}

function parseOverride(text: string, limits: SpecLimits): ParsedOverride | RecurError {
  const bad = (message: string, pointer = ''): RecurError =>
    E.SPEC_OVERRIDE(`--set ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text)}: ${message}`, {
      pointer,
      expected: 'path=value, such as encoder.hidden=512 or head.labels=["a","b"]',
      override: text.slice(0, 200),
    });
  if (typeof text !== 'string') return bad('an override must be a string');
  const eq = text.indexOf('=');
  if (eq <= 0) return bad(eq === 0 ? 'the path before "=" is empty' : 'there is no "=" between the path and the value');
  const path = text.slice(0, eq).trim();
  const segments = path.startsWith('/') ? parsePointer(path)! : path.split('.');
  const pointer = toPointer(segments);
  if (segments.length === 0 || segments.some((s) => s === ''))
    return bad(`the path "${path}" has an empty segment`, pointer);
  const reserved = segments.find((s) => FORBIDDEN_KEYS.has(s));
  if (reserved !== undefined) return bad(`the path uses the reserved key "${reserved}"`, pointer);
  const valueText = text.slice(eq + 1);
  const parsed = parseJsonText(valueText, limits, `the value of --set ${path}`);
  if (parsed.errors.length === 0) return { segments, value: parsed.value };
  const fatal = parsed.errors.find((e) => e.code !== E.SPEC_PARSE.code);
  if (fatal) return bad(fatal.message, pointer);
  // Not JSON: the value is the text itself.
  return { segments, value: valueText };
}

function setAt(
  root: Record<string, unknown>,
  { segments, value }: ParsedOverride,
  text: string,
): RecurError | undefined {
  let node: unknown = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    const here = toPointer(segments.slice(0, i + 1));
    const fail = (message: string): RecurError =>
      E.SPEC_OVERRIDE(`--set ${JSON.stringify(text.slice(0, 80))}: ${message}`, {
        pointer: here,
        expected: 'a path through objects and arrays of the spec',
        override: text.slice(0, 200),
      });
    if (Array.isArray(node)) {
      if (!INDEX.test(segment))
        return fail(`${toPointer(segments.slice(0, i)) || 'the spec'} is an array; "${segment}" is not an index`);
      const index = Number(segment);
      if (index > node.length || (!last && index === node.length))
        return fail(`index ${index} is past the end of an array of ${node.length}`);
      if (last) {
        node[index] = value;
        return undefined;
      }
      node = node[index];
    } else if (typeof node === 'object' && node !== null) {
      const object = node as Record<string, unknown>;
      if (last) {
        Object.defineProperty(object, segment, { value, enumerable: true, writable: true, configurable: true });
        return undefined;
      }
      if (!Object.prototype.hasOwnProperty.call(object, segment) || object[segment] === undefined) {
        Object.defineProperty(object, segment, { value: {}, enumerable: true, writable: true, configurable: true });
      }
      node = object[segment];
    }
    if (!last && (typeof node !== 'object' || node === null)) {
      return fail(`cannot set a key inside ${here}, which is ${jsonTypeName(node)}`);
    }
  }
  return undefined;
}

/**
 * Applies overrides to a copy of `spec` and reports every malformed one. Used by `validateSpec`,
 * which validates the result, so overridden values are checked like written ones.
 */
export function collectOverrides(
  spec: Record<string, unknown>,
  overrides: readonly string[],
  limits: SpecLimits = DEFAULT_SPEC_LIMITS,
): { spec: Record<string, unknown>; errors: RecurError[] } {
  const errors: RecurError[] = [];
  for (const text of overrides) {
    const parsed = parseOverride(text, limits);
    if (!('segments' in parsed)) {
      errors.push(parsed);
      continue;
    }
    const problem = setAt(spec, parsed, text);
    if (problem) errors.push(problem);
  }
  return { spec, errors };
}

/**
 * Returns a copy of `spec` with `--set` overrides applied (`['encoder.hidden=512',
 * 'head.labels=["a","b"]']`). Throws `RECUR_E_SPEC_OVERRIDE` (exit code 2) listing every malformed
 * override; the result is not validated (`validateSpec` takes `overrides` and validates too).
 */
export function applyOverrides(
  spec: Record<string, unknown>,
  overrides: readonly string[],
  limits?: Partial<SpecLimits>,
): Record<string, unknown> {
  const caps = resolveLimits(limits);
  const copy = sanitizeJsonValue(spec, caps);
  if (copy.errors.length > 0) throw aggregateErrors(E.SPEC_INVALID, 'the spec cannot take overrides:', copy.errors);
  if (typeof copy.value !== 'object' || copy.value === null || Array.isArray(copy.value)) {
    throw E.SPEC_INVALID(`the spec must be a JSON object, got ${jsonTypeName(copy.value)}`, {
      pointer: '',
      expected: 'a JSON object',
    });
  }
  const { spec: out, errors } = collectOverrides(copy.value as Record<string, unknown>, overrides, caps);
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw aggregateErrors(E.SPEC_OVERRIDE, `${errors.length} overrides are malformed:`, errors);
  return out;
}

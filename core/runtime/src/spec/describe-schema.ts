/**
 * Says in words what a schema accepts (`integer >= 1`, `one of: "adam", "adamw"`), for the
 * `expected` field of errors and for the type column of the spec reference.
 */
import type { JsonSchema } from '../plugins/plugin-api.js';
import { KEYWORD_FUNCTION } from './schema-keywords.js';

const MAX_LISTED = 12;

function list(values: readonly unknown[]): string {
  const shown = values.slice(0, MAX_LISTED).map((v) => JSON.stringify(v));
  return values.length > MAX_LISTED ? `${shown.join(', ')}, ... (${values.length} in all)` : shown.join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The kind of part a `$ref` to `#/$defs/part.<kind>` accepts, if it is one. */
export function partKindOf(schema: JsonSchema): string | undefined {
  const ref = schema['$ref'];
  return typeof ref === 'string' && ref.startsWith('#/$defs/part.') ? ref.slice('#/$defs/part.'.length) : undefined;
}

/** A short phrase for what `schema` accepts. */
export function describeSchema(schema: JsonSchema | boolean | undefined): string {
  if (schema === undefined || schema === true) return 'any value';
  if (schema === false) return 'nothing (this key is not allowed)';
  const kind = partKindOf(schema);
  if (kind) return `${kind} block`;
  if (schema[KEYWORD_FUNCTION] === true) return 'a function';
  if (Array.isArray(schema['enum'])) return `one of: ${list(schema['enum'] as unknown[])}`;
  if ('const' in schema) return `exactly ${JSON.stringify(schema['const'])}`;
  if (schema['not'] !== undefined && Object.keys(schema['not'] as object).length === 0)
    return 'nothing (no registered names)';
  for (const combiner of ['anyOf', 'oneOf'] as const) {
    const branches = schema[combiner];
    if (Array.isArray(branches))
      return `one of: ${(branches as JsonSchema[]).map((b) => describeSchema(b)).join(' | ')}`;
  }
  const type = schema['type'];
  const types = Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
  if (types.length === 0) return describeAs(undefined, schema);
  return types.map((t) => describeAs(t, schema)).join(' or ');
}

/** One type with the keywords that apply to it: `integer >= 1`, `string of 1 to 64 characters`. */
function describeAs(type: string | undefined, schema: JsonSchema): string {
  const parts: string[] = [];
  const applies = (group: 'number' | 'string' | 'array'): boolean =>
    type === undefined || type === group || (group === 'number' && type === 'integer');
  if (type === 'array') {
    const items = schema['items'];
    const inner = items && typeof items === 'object' ? describeSchema(items as JsonSchema) : undefined;
    parts.push(
      inner && inner !== 'any value' ? (inner.includes(' ') ? `array of (${inner})` : `array of ${inner}`) : 'array',
    );
  } else {
    parts.push(type ?? 'a value');
  }
  if (applies('number')) {
    const bounds: string[] = [];
    if (typeof schema['minimum'] === 'number') bounds.push(`>= ${schema['minimum']}`);
    if (typeof schema['exclusiveMinimum'] === 'number') bounds.push(`> ${schema['exclusiveMinimum']}`);
    if (typeof schema['maximum'] === 'number') bounds.push(`<= ${schema['maximum']}`);
    if (typeof schema['exclusiveMaximum'] === 'number') bounds.push(`< ${schema['exclusiveMaximum']}`);
    if (typeof schema['multipleOf'] === 'number') bounds.push(`a multiple of ${schema['multipleOf']}`);
    if (bounds.length > 0) parts.push(bounds.join(' and '));
  }
  if (applies('string')) {
    const minLength = schema['minLength'];
    const maxLength = schema['maxLength'];
    if (typeof minLength === 'number' && minLength > 0 && typeof maxLength === 'number')
      parts.push(`of ${minLength} to ${plural(maxLength, 'character')}`);
    else if (typeof minLength === 'number' && minLength > 0)
      parts.push(`of at least ${plural(minLength, 'character')}`);
    else if (typeof maxLength === 'number') parts.push(`of at most ${plural(maxLength, 'character')}`);
    if (typeof schema['pattern'] === 'string') parts.push(`matching /${schema['pattern']}/`);
  }
  if (applies('array')) {
    const minItems = schema['minItems'];
    const maxItems = schema['maxItems'];
    if (typeof minItems === 'number' && minItems === maxItems) parts.push(`with exactly ${plural(minItems, 'item')}`);
    else {
      if (typeof minItems === 'number' && minItems > 0) parts.push(`with at least ${plural(minItems, 'item')}`);
      if (typeof maxItems === 'number') parts.push(`with at most ${plural(maxItems, 'item')}`);
    }
    if (schema['uniqueItems'] === true) parts.push('without duplicates');
  }
  return parts.join(' ');
}

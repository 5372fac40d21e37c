/**
 * Checks the options of a `run()` / `stream()` call against the task's `callOptions` schema, with
 * the same rigour as a spec: ajv (strict, every problem at once), unknown keys refused with the
 * nearest known names, values described in words. The library, the CLI (`--options`) and the HTTP
 * routes all pass through here, so a bad option gets the same code everywhere.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { E } from '../errors/runtime-errors.js';
import { RecurError } from '../errors/recur-error.js';
import { nearestNames } from '../errors/suggest.js';
import type { AnyPluginDefinition, JsonSchema } from '../plugins/plugin-api.js';
import { describeSchema } from '../spec/describe-schema.js';
import { KEYWORD_FUNCTION } from '../spec/schema-keywords.js';
import { showValue } from '../spec/translate-errors.js';

/** Options every call takes, whatever the task: they are checked here, not by the task's schema. */
const COMMON_OPTIONS = ['signal'];

const compiled = new WeakMap<AnyPluginDefinition, ValidateFunction>();

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    strictRequired: false,
    strictNumbers: true,
    allowUnionTypes: true,
    allErrors: true,
    useDefaults: false,
    verbose: true,
    logger: false,
  });
  ajv.addKeyword({
    keyword: KEYWORD_FUNCTION,
    schemaType: 'boolean',
    errors: false,
    validate: (wanted: boolean, data: unknown) => !wanted || typeof data === 'function',
  });
  return ajv;
}

/**
 * The compiled call-option validator of a task plugin, or undefined when the plugin declares no
 * `callOptions` (a third-party task written before they existed: its options reach it unchecked).
 * @throws RECUR_E_PLUGIN_INVALID when the declared schema is not a valid strict JSON Schema.
 */
export function callOptionsValidator(plugin: AnyPluginDefinition): ValidateFunction | undefined {
  if (!plugin.callOptions) return undefined;
  let validate = compiled.get(plugin);
  if (!validate) {
    try {
      validate = newAjv().compile({ ...plugin.callOptions, additionalProperties: false });
    } catch (error) {
      throw E.PLUGIN_INVALID(
        `plugin task "${plugin.type}": its callOptions schema is not a valid strict JSON Schema: ${(error as Error).message}`,
        {},
        { cause: error },
      );
    }
    compiled.set(plugin, validate);
  }
  return validate;
}

/**
 * Checks one call's options; throws the first problem (RECUR_E_OPTION_UNKNOWN or
 * RECUR_E_OPTION_INVALID, pointer `/options/<name>`), with every problem listed in `details.problems`.
 */
export function checkCallOptions(plugin: AnyPluginDefinition, options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw E.OPTION_INVALID(`call options must be an object such as { "topK": 2 }, got ${showValue(options)}`, {
      pointer: '/options',
      expected: 'an object',
    });
  }
  const record = options as Record<string, unknown>;
  const signal = record['signal'];
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw E.OPTION_INVALID(`option signal must be an AbortSignal, got ${showValue(signal)}`, {
      pointer: '/options/signal',
      expected: 'an AbortSignal',
    });
  }
  const validate = callOptionsValidator(plugin);
  if (!validate) return;
  const rest = Object.fromEntries(Object.entries(record).filter(([key]) => !COMMON_OPTIONS.includes(key)));
  if (validate(rest)) return;
  const properties = (plugin.callOptions!['properties'] ?? {}) as Record<string, JsonSchema>;
  const known = [...Object.keys(properties), ...COMMON_OPTIONS];
  const problems = (validate.errors ?? []).map((e) => translate(e, properties, known, plugin.type));
  const seen = new Set<string>();
  const unique = problems.filter((p) => (seen.has(p.pointer ?? '') ? false : (seen.add(p.pointer ?? ''), true)));
  const first = unique[0];
  if (unique.length === 1) throw first;
  const others = unique
    .slice(1)
    .map((p) => p.message)
    .join('; ');
  throw new RecurError(
    first.code,
    `${first.message} (and ${unique.length - 1} more: ${others})`,
    { ...first.details, problems: unique.map((p) => p.toJSON()) },
    first.exitCode,
    { httpStatus: first.httpStatus },
  );
}

function translate(
  error: ErrorObject,
  properties: Record<string, JsonSchema>,
  known: readonly string[],
  task: string,
): RecurError {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    const key = String(params['additionalProperty']);
    const suggestions = nearestNames(key, known);
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
    return E.OPTION_UNKNOWN(
      `unknown option "${key.slice(0, 100)}" for task ${task}.${hint} Known options: ${known.join(', ')}`,
      {
        pointer: `/options/${key.slice(0, 100)}`,
        expected: `one of the options: ${known.join(', ')}`,
        suggestions,
      },
    );
  }
  // The failing property is the first segment under the root (options are flat, bar `stop`'s items).
  const name = error.instancePath.split('/')[1] ?? '';
  const schema = properties[name] ?? (error.parentSchema as JsonSchema);
  const expected = describeSchema(schema);
  const value = error.instancePath === `/${name}` ? error.data : undefined;
  const got = value !== undefined ? showValue(value) : `${showValue(error.data)} at ${error.instancePath}`;
  return E.OPTION_INVALID(`option ${name} must be ${expected}, got ${got}`, {
    pointer: `/options${error.instancePath}`,
    expected,
  });
}

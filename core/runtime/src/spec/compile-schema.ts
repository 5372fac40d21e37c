/**
 * Compiles the spec schema of a registry once and caches it on the registry (a WeakMap, so the
 * validator goes away with the registry). Registering more plugins changes the registry's
 * signature, and the next call compiles again.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { E } from '../errors/runtime-errors.js';
import { RecurError } from '../errors/recur-error.js';
import { PART_KINDS, type JsonSchema } from '../plugins/plugin-api.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { BLOCK_KINDS, buildSpecSchema, pluginDefName } from './build-schema.js';
import { addRecurKeywords } from './schema-keywords.js';

export interface CompiledSpecSchema {
  readonly schema: JsonSchema;
  /** Validates and, as a side effect, writes defaults into the data: call it on a copy. */
  readonly validate: ValidateFunction;
}

const cache = new WeakMap<PluginRegistry, { signature: string; compiled: CompiledSpecSchema }>();

function signatureOf(registry: PluginRegistry): string {
  return PART_KINDS.map(
    (kind) =>
      `${kind}:${registry
        .list(kind)
        .map((p) => p.type)
        .join(',')}`,
  ).join(';');
}

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    // A task's slot rule requires keys defined at the top level, not in the rule itself.
    strictRequired: false,
    strictNumbers: true,
    allowUnionTypes: true,
    allErrors: true,
    $data: false,
    useDefaults: true,
    verbose: true,
    logger: false,
  });
  addRecurKeywords(ajv);
  return ajv;
}

/** When the whole schema does not compile, finds the plugin whose options are at fault. */
function blame(registry: PluginRegistry, schema: JsonSchema, cause: unknown): RecurError {
  const defs = schema['$defs'] as Record<string, JsonSchema>;
  const stubs = Object.fromEntries(BLOCK_KINDS.map((k) => [`part.${k}`, true]));
  for (const kind of BLOCK_KINDS) {
    for (const plugin of registry.list(kind)) {
      try {
        newAjv().compile({ ...defs[pluginDefName(plugin)], $defs: stubs });
      } catch (error) {
        return E.PLUGIN_INVALID(
          `plugin ${kind} "${plugin.type}": its options schema is not a valid strict JSON Schema: ${(error as Error).message}`,
          {},
          { cause: error },
        );
      }
    }
  }
  return E.INTERNAL(
    `the spec schema does not compile: ${(cause as Error)?.message ?? String(cause)}`,
    { pointer: '' },
    { cause },
  );
}

/**
 * The compiled validator for a registry's spec schema.
 * @throws RECUR_E_PLUGIN_INVALID when a plugin's schema cannot be merged or compiled.
 */
export function compiledSpecValidator(registry: PluginRegistry): CompiledSpecSchema {
  const signature = signatureOf(registry);
  const hit = cache.get(registry);
  if (hit && hit.signature === signature) return hit.compiled;
  const schema = buildSpecSchema(registry);
  let validate: ValidateFunction;
  try {
    validate = newAjv().compile(schema);
  } catch (error) {
    throw RecurError.is(error) ? error : blame(registry, schema, error);
  }
  const compiled = { schema, validate };
  cache.set(registry, { signature, compiled });
  return compiled;
}

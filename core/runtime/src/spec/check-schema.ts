import type { RecurError } from '../errors/recur-error.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { compiledSpecValidator } from './compile-schema.js';
import { recordVisits, type SchemaVisits } from './schema-keywords.js';
import { translateAjvErrors } from './translate-errors.js';

export interface SchemaCheck {
  readonly errors: RecurError[];
  readonly visits: SchemaVisits;
}

/**
 * Validates `spec` against the registry's schema, IN PLACE: defaults are written into it and bare
 * type names are replaced by the versioned names they resolve to. Callers pass their own copy.
 */
export function checkAgainstSchema(spec: Record<string, unknown>, registry: PluginRegistry): SchemaCheck {
  const { validate } = compiledSpecValidator(registry);
  const { result: valid, visits } = recordVisits(() => validate(spec));
  const errors = valid ? [] : translateAjvErrors(validate.errors, registry);
  for (const { kind, block } of visits.parts) {
    const name = block['type'];
    if (typeof name !== 'string') continue;
    const plugin = registry.find(kind as Parameters<PluginRegistry['find']>[0], name);
    if (plugin) block['type'] = plugin.type;
  }
  return { errors, visits };
}

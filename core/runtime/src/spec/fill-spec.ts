import { E } from '../errors/runtime-errors.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { checkAgainstSchema } from './check-schema.js';
import { DEFAULT_SPEC_LIMITS } from './limits.js';
import { jsonTypeName } from './parse-spec-text.js';
import { sanitizeJsonValue } from './sanitize-value.js';
import { aggregateErrors } from './spec-errors.js';
import type { PipelineSpec } from './spec-types.js';

/**
 * The spec with every default written out and every bare type name (`lstm`) replaced by the
 * versioned name it resolves to now (`lstm.v1`), so the spec keeps its meaning when a `.v2` appears.
 * This is what `recur fill` prints. The input is not modified. File references are not checked.
 *
 * @throws RECUR_E_SPEC_INVALID listing every problem when the spec does not validate.
 */
export function fillSpec(spec: Readonly<Record<string, unknown>>, registry: PluginRegistry): PipelineSpec {
  const copy = sanitizeJsonValue(spec, DEFAULT_SPEC_LIMITS);
  if (copy.errors.length > 0) throw aggregateErrors(E.SPEC_INVALID, 'the spec is not valid:', copy.errors);
  const value = copy.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw aggregateErrors(E.SPEC_INVALID, 'the spec is not valid:', [
      E.SPEC_INVALID(`a spec must be a JSON object, got ${jsonTypeName(value)}`, {
        pointer: '',
        expected: 'a JSON object',
      }),
    ]);
  }
  const filled = value as Record<string, unknown>;
  const { errors } = checkAgainstSchema(filled, registry);
  if (errors.length > 0)
    throw aggregateErrors(
      E.SPEC_INVALID,
      `the spec is not valid (${errors.length} problem${errors.length === 1 ? '' : 's'}):`,
      errors,
    );
  return filled as PipelineSpec;
}

import { E } from '../errors/runtime-errors.js';
import { aggregateErrors } from './spec-errors.js';
import type { LoadedSpec, ValidateSpecOptions, ValidationResult } from './spec-types.js';
import { validateSpec, validateSpecFile } from './validate-spec.js';

function loaded(result: ValidationResult): LoadedSpec {
  if (!result.ok || !result.spec) {
    const count = result.errors.length;
    const name = result.specPath ? ` ${result.specPath}` : '';
    throw aggregateErrors(
      E.SPEC_INVALID,
      `the spec${name} is not valid (${count} problem${count === 1 ? '' : 's'}):`,
      result.errors,
    );
  }
  return {
    spec: result.spec,
    specPath: result.specPath,
    specDir: result.specDir,
    files: result.files,
    warnings: result.warnings,
  };
}

/**
 * Validates a spec given as JSON text or an object, like `validateSpec`, and returns it ready to use
 * (overrides applied, defaults written, type names versioned, files resolved).
 *
 * @throws RecurAggregateError with code RECUR_E_SPEC_INVALID whose `errors` list every problem; its
 *   exit code is 2 when a `--set` override was malformed, 1 otherwise.
 */
export async function loadSpec(input: string | object, options: ValidateSpecOptions): Promise<LoadedSpec> {
  return loaded(await validateSpec(input, options));
}

/** Reads, validates and returns a spec file; throws like `loadSpec`. */
export async function loadSpecFile(file: string, options: Omit<ValidateSpecOptions, 'specPath'>): Promise<LoadedSpec> {
  return loaded(await validateSpecFile(file, options));
}

/**
 * `validateSpec`: the one pass every command runs before it uses a spec. In order: size caps and
 * the grammar scan (before any parsing), parsing, the top-level type, `--set` overrides, the schema
 * (plugin options included, defaults written, type names resolved), then the files the spec names.
 * It collects every problem instead of stopping at the first, and it never throws for bad input.
 */
import { E } from '../errors/runtime-errors.js';
import { RecurError } from '../errors/recur-error.js';
import { checkAgainstSchema } from './check-schema.js';
import { checkFileRefs } from './file-refs.js';
import { nodeFileHost } from '../files/node-file-host.js';
import { resolveLimits } from './limits.js';
import { readSpecFile } from './read-spec-file.js';
import { collectOverrides } from './overrides.js';
import { jsonTypeName, parseJsonText } from './parse-spec-text.js';
import { sanitizeJsonValue } from './sanitize-value.js';
import type { PipelineSpec, SpecFileRef, SpecLimits, ValidateSpecOptions, ValidationResult } from './spec-types.js';

/** Every error in a result names a pointer; errors raised elsewhere get the root's. */
function withPointer(error: RecurError): RecurError {
  if (typeof error.details.pointer === 'string') return error;
  return new RecurError(error.code, error.message, { ...error.details, pointer: '' }, error.exitCode, {
    cause: error.cause,
  });
}

function asRecurError(error: unknown): RecurError {
  if (RecurError.is(error)) return withPointer(error);
  return E.INTERNAL(
    `validation failed unexpectedly: ${(error as Error)?.message ?? String(error)}`,
    { pointer: '' },
    { cause: error },
  );
}

async function locate(
  options: ValidateSpecOptions,
): Promise<{ specPath: string | undefined; specDir: string; allowRoots: string[] }> {
  const host = options.fileHost ?? nodeFileHost;
  const base = host.base();
  const specPath =
    typeof options.specPath === 'string' && options.specPath !== '' ? host.resolve(base, options.specPath) : undefined;
  const specDir = (await host.locate(specPath ? host.dirname(specPath) : base)).location;
  const allowRoots: string[] = [];
  for (const root of options.allowRoots ?? []) {
    if (typeof root === 'string' && root !== '' && !root.includes('\u0000'))
      allowRoots.push((await host.locate(host.resolve(base, root))).location);
  }
  return { specPath, specDir, allowRoots };
}

/** Parses text or copies an object, under the caps; the result is a fresh plain value. */
function readInput(input: unknown, limits: SpecLimits): { value?: unknown; errors: RecurError[] } {
  if (typeof input === 'string') return parseJsonText(input, limits);
  return sanitizeJsonValue(input, limits);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a spec given as JSON text or as an object (which is not modified).
 *
 * Never throws or rejects for bad input: every problem is in `errors`, each with a `RECUR_E_` code
 * and a JSON pointer. `files` lists the file references with their resolved paths.
 *
 * @example
 * const result = await validateSpec(text, { registry, specPath: 'pipelines/sentiment.json', purpose: 'run' });
 * if (!result.ok) for (const e of result.errors) console.error(`${e.pointer} ${e.code}: ${e.message}`);
 */
export async function validateSpec(input: string | object, options: ValidateSpecOptions): Promise<ValidationResult> {
  const errors: RecurError[] = [];
  const warnings: RecurError[] = [];
  let files: SpecFileRef[] = [];
  let spec: PipelineSpec | undefined;
  let where = { specPath: undefined as string | undefined, specDir: process.cwd(), allowRoots: [] as string[] };
  try {
    where = await locate(options ?? ({} as ValidateSpecOptions));
    const limits = resolveLimits(options?.limits);
    const purpose = options?.purpose ?? 'validate';
    const read = readInput(input, limits);
    errors.push(...read.errors);
    // No value: syntax or size problems stopped parsing, and `errors` says which.
    if (read.value === undefined) return finish();
    if (!isObject(read.value)) {
      errors.push(
        E.SPEC_INVALID(`a spec must be a JSON object, got ${jsonTypeName(read.value)}`, {
          pointer: '',
          expected: 'a JSON object',
        }),
      );
      return finish();
    }
    let value: Record<string, unknown> = read.value;

    if (options?.overrides && options.overrides.length > 0) {
      const applied = collectOverrides(value, options.overrides, limits);
      errors.push(...applied.errors);
      // Overridden values pass the same caps as written ones before the schema sees them.
      const again = sanitizeJsonValue(applied.spec, limits);
      if (again.errors.length > 0 || !isObject(again.value)) {
        // Reserved keys were reported already; an override cannot add one (it is refused).
        errors.push(...again.errors.filter((e) => e.code !== E.SPEC_FORBIDDEN_KEY.code));
        if (!isObject(again.value)) return finish();
      }
      value = again.value;
    }

    if (!options?.registry || typeof options.registry.list !== 'function') {
      throw E.USAGE('validateSpec needs a plugin registry (options.registry)', { pointer: '' });
    }
    const checked = checkAgainstSchema(value, options.registry);
    errors.push(...checked.errors);
    spec = value as PipelineSpec;

    const train = value['train'];
    const refs = await checkFileRefs(checked.visits.paths, {
      host: options.fileHost ?? nodeFileHost,
      specDir: where.specDir,
      allowRoots: where.allowRoots,
      purpose,
      trainsTokenizer: isObject(train) && isObject(train['tokenizer']),
    });
    files = refs.files;
    errors.push(...refs.errors);
    warnings.push(...refs.warnings);
  } catch (error) {
    errors.push(asRecurError(error));
  }
  return finish();

  function finish(): ValidationResult {
    return {
      ok: errors.length === 0,
      spec,
      errors: errors.map(withPointer),
      warnings,
      files,
      specDir: where.specDir,
      specPath: where.specPath,
    };
  }
}

/**
 * Reads a spec file and validates it (`specPath` is the file). The size cap applies before the file
 * is read in full; a file that is not UTF-8 is a parse error.
 */
export async function validateSpecFile(
  file: string,
  options: Omit<ValidateSpecOptions, 'specPath'>,
): Promise<ValidationResult> {
  const host = options.fileHost ?? nodeFileHost;
  const specPath = host.resolve(host.base(), String(file));
  const limits = resolveLimits(options?.limits);
  const fail = async (error: RecurError): Promise<ValidationResult> => {
    const specDir = (await host.locate(host.dirname(specPath))).location;
    return { ok: false, spec: undefined, errors: [error], warnings: [], files: [], specDir, specPath };
  };
  // One reader for spec files (read-spec-file.ts): regular files only, the byte cap before the whole
  // file is read, strict UTF-8 with the offending line.
  let text: string;
  try {
    text = await readSpecFile(specPath, limits, host);
  } catch (error) {
    if (RecurError.is(error)) return fail(withPointer(error));
    return fail(
      E.IO(
        `the spec file ${specPath} could not be read: ${(error as Error)?.message ?? String(error)}`,
        { pointer: '', file: specPath },
        { cause: error },
      ),
    );
  }
  return validateSpec(text, { ...options, specPath });
}

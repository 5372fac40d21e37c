import { resolve } from 'node:path';
import { RecurError, RuntimeErrors as E, type PluginRegistry } from '@recur/runtime';
import { checkPipelineFiles, loadSpecPlugins, readSpecFile, validateSpec } from '@recur/runtime/internal';
import { parse, positional, SPEC_OPTIONS } from '../args.js';
import { formatError, reportFailure, type CommandIO } from '../io.js';

export const USAGE =
  'recur validate SPEC [--json] [--purpose run|train|validate] [--strict-provenance] [--set path=value]... [--allow-plugin MODULE]... [--allow-root DIR]...';

/**
 * `recur validate`: exit 0 when the spec is valid, 1 when not (every problem listed), 2 on wrong
 * usage. With --json, exactly one JSON object on stdout.
 */
export async function validateCommand(
  argv: readonly string[],
  io: CommandIO,
  registry: PluginRegistry,
): Promise<number> {
  let json = argv.includes('--json');
  try {
    const { values, positionals } = parse(
      argv,
      { ...SPEC_OPTIONS, purpose: { type: 'string' }, 'strict-provenance': { type: 'boolean' } },
      USAGE,
    );
    json = values.json === true;
    const specPath = resolve(io.cwd, positional(positionals, 'spec file', USAGE));
    const purpose = values.purpose ?? 'validate';
    if (purpose !== 'validate' && purpose !== 'run' && purpose !== 'train') {
      throw E.USAGE(`--purpose must be run, train or validate, got ${purpose}`, { expected: 'run | train | validate' });
    }
    const text = await readSpecText(specPath);
    const scoped = await withSpecPlugins(text, specPath, values['allow-plugin'] ?? [], registry);
    let result = await validateSpec(text, {
      registry: scoped,
      specPath,
      purpose,
      ...(values['allow-root'] ? { allowRoots: values['allow-root'].map((r) => resolve(io.cwd, r)) } : {}),
      ...(values.set ? { overrides: values.set } : {}),
    });
    // A valid spec whose files exist: check the files' structure too (headers, shapes against the
    // spec, tokenizer JSON, ONNX graphs), by building the pipeline without running anything.
    const needed = result.files.filter((f) => f.role !== 'weights' && f.role !== 'train-input');
    if (result.ok && needed.every((f) => f.exists)) {
      const report = await checkPipelineFiles(
        specPath,
        {
          registry: scoped,
          allowPlugins: values['allow-plugin'] ?? [],
          ...(values['strict-provenance'] ? { strictProvenance: true } : {}),
          ...(values['allow-root'] ? { allowRoots: values['allow-root'].map((r) => resolve(io.cwd, r)) } : {}),
          ...(values.set ? { overrides: values.set } : {}),
        },
        result.files.some((f) => f.role === 'weights' && f.exists),
      );
      result = {
        ...result,
        ok: report.errors.length === 0,
        errors: report.errors,
        warnings: [...result.warnings, ...report.warnings],
      };
    }
    const warnings = result.warnings.map((w) => (RecurError.is(w) ? w.toJSON() : { message: String(w) }));
    if (json) {
      io.stdout.write(
        JSON.stringify(
          result.ok ? { ok: true, warnings } : { ok: false, errors: result.errors.map((e) => e.toJSON()), warnings },
        ) + '\n',
      );
    } else {
      for (const w of result.warnings) io.stderr.write(`warning: ${RecurError.is(w) ? formatError(w) : String(w)}\n`);
      if (result.ok) io.stdout.write(`${specPath}: valid\n`);
      else
        io.stderr.write(
          `${specPath}: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}\n${result.errors.map((e) => `  ${formatError(e)}`).join('\n')}\n`,
        );
    }
    if (result.ok) return 0;
    // A malformed --set is wrong usage (exit 2), not a bad spec.
    return result.errors.some((e) => e.exitCode === 2) ? 2 : 1;
  } catch (err) {
    return reportFailure(err, io, json);
  }
}

/** The spec's text, read with the spec byte limit (a huge file is refused, not loaded). */
export function readSpecText(path: string): Promise<string> {
  return readSpecFile(path);
}

/** Registers the spec's allowed plugins in a scoped registry, so their schemas validate too. */
export async function withSpecPlugins(
  text: string,
  specPath: string,
  allow: readonly string[],
  registry: PluginRegistry,
): Promise<PluginRegistry> {
  let list: unknown;
  try {
    list = (JSON.parse(text) as Record<string, unknown>)?.['plugins'];
  } catch {
    return registry;
  }
  return Array.isArray(list) ? loadSpecPlugins(list, resolve(specPath, '..'), allow, registry) : registry;
}

import { resolve } from 'node:path';
import { type PluginRegistry } from '@recur/runtime';
import { fillSpec, loadSpec } from '@recur/runtime/internal';
import { parse, positional, SPEC_OPTIONS } from '../args.js';
import { reportFailure, type CommandIO } from '../io.js';
import { readSpecText, withSpecPlugins } from './validate.js';
import { writeFileAtomic } from '../write-file-atomic.js';

export const USAGE = 'recur fill SPEC [-o FILE] [--set path=value]...';

/** `recur fill`: the spec with every default written out and type names resolved to their versions. */
export async function fillCommand(argv: readonly string[], io: CommandIO, registry: PluginRegistry): Promise<number> {
  try {
    const { values, positionals } = parse(argv, { ...SPEC_OPTIONS, output: { type: 'string', short: 'o' } }, USAGE);
    const specPath = resolve(io.cwd, positional(positionals, 'spec file', USAGE));
    const text = await readSpecText(specPath);
    const scoped = await withSpecPlugins(text, specPath, values['allow-plugin'] ?? [], registry);
    const loaded = await loadSpec(text, {
      registry: scoped,
      specPath,
      purpose: 'validate',
      ...(values.set ? { overrides: values.set } : {}),
    });
    const filled = JSON.stringify(fillSpec(loaded.spec, scoped), null, 2) + '\n';
    if (values.output) await writeFileAtomic(resolve(io.cwd, values.output), filled);
    else io.stdout.write(filled);
    return 0;
  } catch (err) {
    return reportFailure(err, io, false);
  }
}

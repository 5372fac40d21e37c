import { join, resolve } from 'node:path';
import { load, type PluginRegistry } from '@recur/runtime';
import { selfContainedModel } from '@recur/runtime/internal';
import { parse, positional, SPEC_OPTIONS } from '../args.js';
import { ensureOutputFolder } from '../folders.js';
import { reportFailure, type CommandIO } from '../io.js';
import { writeFileAtomic } from '../write-file-atomic.js';
import { RuntimeErrors as E } from '@recur/runtime';

export const USAGE = 'recur export SPEC -o DIR [--set path=value]...';

/** `recur export`: writes each compute unit as DIR/<unit>.onnx, with its weights, for Netron or another runtime. */
export async function exportCommand(argv: readonly string[], io: CommandIO, registry: PluginRegistry): Promise<number> {
  try {
    const { values, positionals } = parse(argv, { ...SPEC_OPTIONS, output: { type: 'string', short: 'o' } }, USAGE);
    const specPath = resolve(io.cwd, positional(positionals, 'spec file', USAGE));
    if (!values.output) throw E.USAGE(`-o DIR is required\nusage: ${USAGE}`, { expected: USAGE });
    const dir = resolve(io.cwd, values.output);
    // Checked and created before the pipeline loads: a wrong -o costs no load time.
    await ensureOutputFolder(dir, 'export folder');
    const pipeline = await load(specPath, {
      registry,
      allowPlugins: values['allow-plugin'] ?? [],
      ...(values.set ? { overrides: values.set } : {}),
      ...(values['allow-root'] ? { allowRoots: values['allow-root'].map((r) => resolve(io.cwd, r)) } : {}),
    });
    try {
      for (const unit of pipeline.units) {
        const file = join(dir, `${unit.name}.onnx`);
        await writeFileAtomic(file, await selfContainedModel(unit));
        io.stdout.write(`${file}\n`);
      }
    } finally {
      await pipeline.dispose();
    }
    return 0;
  } catch (err) {
    return reportFailure(err, io, false);
  }
}

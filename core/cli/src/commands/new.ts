import { resolve } from 'node:path';
import { RuntimeErrors as E, type PluginRegistry } from '@recur/runtime';
import { parse } from '../args.js';
import { reportFailure, type CommandIO } from '../io.js';
import { SCAFFOLD_KINDS, scaffoldPlugin, type ScaffoldKind } from '../scaffold/scaffold-plugin.js';

const KINDS = Object.keys(SCAFFOLD_KINDS) as ScaffoldKind[];
export const USAGE = `recur new plugin NAME [--kind ${KINDS.join('|')}] [--dir DIR]`;

/**
 * `recur new plugin`: writes a plugin package (package.json with the peer dependency on
 * @recur/runtime, index.js, a test of the forward pass against a plain reference and of the
 * gradients against finite differences, a README on depending on Recur) into ./NAME or --dir.
 */
export async function newCommand(argv: readonly string[], io: CommandIO, _registry: PluginRegistry): Promise<number> {
  try {
    const { values, positionals } = parse(argv, { kind: { type: 'string' }, dir: { type: 'string' } }, USAGE);
    const [what, name, ...rest] = positionals;
    if (what !== 'plugin' || !name || rest.length > 0)
      throw E.USAGE(`expected "plugin" and a package name\nusage: ${USAGE}`, { expected: USAGE });
    const kind = (values.kind ?? 'cell') as ScaffoldKind;
    if (!KINDS.includes(kind))
      throw E.USAGE(`--kind must be one of ${KINDS.join(', ')}, got ${values.kind}`, { expected: KINDS.join(' | ') });
    const dir = resolve(io.cwd, values.dir ?? name.replace(/^@[^/]+\//, ''));
    const files = await scaffoldPlugin(dir, name, kind);
    io.stdout.write(
      `${dir}: ${files.join(', ')}\nnext: install Recur's packages there (see its README), then npm test\n`,
    );
    return 0;
  } catch (err) {
    return reportFailure(err, io, false);
  }
}

import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { RuntimeErrors as E, type PluginRegistry } from '@recur/runtime';
import { buildSpecSchema, renderErrorReference, renderSpecReference } from '@recur/runtime/internal';
import { parse } from '../args.js';
import { reportFailure, type CommandIO } from '../io.js';
import { writeFileAtomic } from '../write-file-atomic.js';
import { ERROR_TABLES } from '../error-tables.js';
import { renderOperatorReference } from '@recur/train';

export const USAGE = 'recur docs (--write | --check) [--root DIR]';

/** Files generated from the schemas and error tables, relative to the repository root. */
export function generatedDocs(registry: PluginRegistry): Record<string, string> {
  const schema = { ...buildSpecSchema(registry), $id: 'https://recur.dev/schema/pipeline.schema.json' };
  return {
    'docs/reference/spec.md': renderSpecReference(registry),
    'docs/reference/errors.md': renderErrorReference(ERROR_TABLES),
    'docs/reference/differentiable-operators.md': renderOperatorReference(),
    'core/runtime/schema/pipeline.schema.json': JSON.stringify(schema, null, 2) + '\n',
  };
}

/** Files whose committed text differs from what the generators produce now. */
export async function docsDrift(root: string, registry: PluginRegistry): Promise<string[]> {
  const drift: string[] = [];
  for (const [rel, text] of Object.entries(generatedDocs(registry))) {
    const current = await readFile(join(root, rel), 'utf8').catch(() => undefined);
    if (current !== text) drift.push(rel);
  }
  return drift;
}

/** `recur docs --write` regenerates the reference pages; `--check` exits 1 when they drifted. */
export async function docsCommand(argv: readonly string[], io: CommandIO, registry: PluginRegistry): Promise<number> {
  try {
    const { values } = parse(
      argv,
      { write: { type: 'boolean' }, check: { type: 'boolean' }, root: { type: 'string' } },
      USAGE,
    );
    if (values.write === values.check) throw E.USAGE(`give --write or --check\nusage: ${USAGE}`, { expected: USAGE });
    const root = resolve(io.cwd, values.root ?? '.');
    if (values.check) {
      const drift = await docsDrift(root, registry);
      if (drift.length === 0) {
        io.stdout.write('generated docs are up to date\n');
        return 0;
      }
      io.stderr.write(`generated docs are out of date: ${drift.join(', ')}\nrun: npm run docs\n`);
      return 1;
    }
    for (const [rel, text] of Object.entries(generatedDocs(registry))) {
      const file = join(root, rel);
      await mkdir(dirname(file), { recursive: true });
      await writeFileAtomic(file, text);
      io.stdout.write(`${rel}\n`);
    }
    return 0;
  } catch (err) {
    return reportFailure(err, io, false);
  }
}

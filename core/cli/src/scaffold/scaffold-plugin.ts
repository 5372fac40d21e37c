import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RuntimeErrors as E } from '@recur/runtime';
import { cellFiles } from './cell-template.js';
import { packageJson, readme, TEST_HELPERS, type PluginNames } from './common.js';
import { embeddingFiles } from './embedding-template.js';
import { headFiles } from './head-template.js';
import { tokenizerFiles } from './tokenizer-template.js';

/** The kinds `recur new plugin` scaffolds, each with its source, its test and a spec block for the README. */
export const SCAFFOLD_KINDS = {
  cell: {
    files: cellFiles,
    specBlock: (b: string) => `"encoder": { "type": "recurrent", "cell": { "type": "${b}" }, "hidden": 64 }`,
  },
  embedding: { files: embeddingFiles, specBlock: (b: string) => `"embedding": { "type": "${b}", "dim": 64 }` },
  head: {
    files: headFiles,
    specBlock: (b: string) =>
      `"task": "text-classification", "head": { "type": "${b}", "labels": ["negative", "positive"] }`,
  },
  tokenizer: {
    files: tokenizerFiles,
    specBlock: (b: string) => `"tokenizer": { "type": "${b}", "alphabet": "abcdefghijklmnopqrstuvwxyz " }`,
  },
} as const;
export type ScaffoldKind = keyof typeof SCAFFOLD_KINDS;

const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/**
 * The package and type names of a plugin called `name`: the package keeps the name, the type drops a
 * scope and a `recur-plugin-` prefix (`recur-plugin-minrnn` declares `minrnn.v1`).
 */
export function pluginNames(name: string): PluginNames {
  if (!PACKAGE_NAME.test(name) || name.length > 214) {
    throw E.USAGE(`"${name}" is not a valid npm package name (lowercase letters, digits, - . _, an optional @scope/)`, {
      expected: 'recur-plugin-NAME',
    });
  }
  const base = name
    .replace(/^@[^/]+\//, '')
    .replace(/^recur-plugin-/, '')
    .replace(/[._]/g, '-');
  if (!/^[a-z][a-z0-9-]*$/.test(base))
    throw E.USAGE(`the plugin's type would be "${base}", which must start with a letter`, {
      expected: 'recur-plugin-NAME with NAME starting with a letter',
    });
  return { pkg: name, base };
}

/** Writes the plugin package into `dir` (which must not exist or be empty); returns the files written. */
export async function scaffoldPlugin(dir: string, name: string, kind: ScaffoldKind): Promise<string[]> {
  const names = pluginNames(name);
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw E.IO(`${dir} exists and is not empty; choose another name or --dir`, { file: dir });
  const template = SCAFFOLD_KINDS[kind];
  const files: Record<string, string> = {
    'package.json': packageJson(names, kind),
    'README.md': readme(names, kind, template.specBlock(names.base)),
    'test/helpers.js': TEST_HELPERS,
    ...template.files(names),
  };
  for (const [rel, text] of Object.entries(files)) {
    const file = join(dir, rel);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  return Object.keys(files);
}

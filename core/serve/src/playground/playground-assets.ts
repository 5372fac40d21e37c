import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The page's own files: core/serve/playground/, beside dist/. */
export const PAGE_DIR = fileURLToPath(new URL('../../playground/', import.meta.url));

/** The page's files by the name they are served under (`/` is index.html). */
export const PAGE_FILES: ReadonlySet<string> = new Set(readdirSync(PAGE_DIR).filter((f) => !f.startsWith('.')));

/** What the "Run in this page" switch needs, when it is installed. */
export interface InPageRuntime {
  /** The ES-module bundle of @recur/browser, served at /playground/recur-browser.js. */
  readonly bundle: string;
  /** onnxruntime-web's WASM files and their loaders by file name, served under /playground/ort/. */
  readonly ortFiles: ReadonlyMap<string, string>;
}

const require = createRequire(import.meta.url);

/**
 * The folder of an installed package, or undefined when it is not installed: its package.json, or, where
 * the package's `exports` do not list `./package.json` (onnxruntime-web's), up from its main entry.
 */
function packageDir(name: string): string | undefined {
  let dir: string;
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    try {
      dir = dirname(require.resolve(name));
    } catch {
      return undefined;
    }
  }
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && packageName(manifest) === name) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function packageName(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/**
 * The browser build of Recur and onnxruntime-web's WASM files, resolved from the installed packages
 * (`@recur/browser`, `onnxruntime-web`). Undefined when either is missing: the page then disables
 * its switch and says why.
 */
export function findInPageRuntime(): InPageRuntime | undefined {
  const browser = packageDir('@recur/browser');
  const ort = packageDir('onnxruntime-web');
  if (browser === undefined || ort === undefined) return undefined;
  const bundle = join(browser, 'dist', 'recur-browser.js');
  const ortDist = join(ort, 'dist');
  if (!existsSync(bundle) || !existsSync(ortDist)) return undefined;
  const ortFiles = new Map(
    readdirSync(ortDist)
      .filter((f) => /^ort-wasm[\w.-]*\.(wasm|mjs)$/.test(f))
      .map((f) => [f, join(ortDist, f)] as const),
  );
  return ortFiles.size > 0 ? { bundle, ortFiles } : undefined;
}

/**
 * Bundles @recur/browser into ONE ES module, dist/recur-browser.js, from the compiled dist/lib
 * (run after `tsc -b`; the root `build`, `prepare` and `test` scripts do). The runtime's file layer
 * reads through `node:fs`, `node:path` and `node:crypto`; in the browser those names resolve to the
 * browser host in dist/lib/host (fetch by URL, URL paths, SHA-256 in JavaScript), and
 * onnxruntime-node to a stand-in that is never called (the bundle's `load` always uses
 * onnxruntime-web). onnxruntime-web's .wasm files are not inlined: `wasmPaths` points to them.
 * `node core/browser/build.mjs --metafile` also writes dist/meta.json (what the bundle holds).
 */
import { build } from 'esbuild';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const host = join(here, 'dist', 'lib', 'host');

/** Node module name -> the browser host's module standing in for it. */
const HOST_MODULES = {
  path: 'node-path.js',
  fs: 'node-fs.js',
  'fs/promises': 'node-fs.js',
  crypto: 'node-crypto.js',
  os: 'node-os.js',
  module: 'node-module.js',
  url: 'node-module.js',
};

const browserHost = {
  name: 'recur-browser-host',
  setup(b) {
    b.onResolve({ filter: /^(node:)?(path|fs|fs\/promises|crypto|os|module|url)$/ }, (args) => ({
      path: join(host, HOST_MODULES[args.path.replace(/^node:/, '')]),
    }));
    b.onResolve({ filter: /^onnxruntime-node$/ }, () => ({ path: join(host, 'onnxruntime-node.js') }));
  },
};

const result = await build({
  entryPoints: [join(here, 'dist', 'lib', 'index.js')],
  outfile: join(here, 'dist', 'recur-browser.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  // onnxruntime-web's build that loads its .wasm (and worker .mjs) from wasmPaths instead of inlining them.
  conditions: ['onnxruntime-web-use-extern-wasm'],
  inject: [join(host, 'node-globals.js')],
  plugins: [browserHost],
  minify: true,
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
});
if (process.argv.includes('--metafile')) {
  await writeFile(join(here, 'dist', 'meta.json'), JSON.stringify(result.metafile));
}

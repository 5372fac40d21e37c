/**
 * "Run in this page": the same pipeline loaded by the browser build of Recur (@recur/browser) from
 * the server's files route, computing with onnxruntime-web's WASM files served under /playground/ort/.
 */
import { authHeaders } from './api.js';

const BUNDLE = '/playground/recur-browser.js';

/** True when the server has the browser build (it answers 404 without @recur/browser installed). */
export async function inPageAvailable() {
  const res = await fetch(BUNDLE, { method: 'HEAD' });
  return res.ok;
}

const loaded = new Map();

/** The in-page pipeline of a served pipeline (loaded once), whose spec is at `specRoute` in its files. */
export function inPagePipeline(name, specRoute) {
  if (!loaded.has(name)) {
    const specUrl = new URL(`/v1/pipelines/${encodeURIComponent(name)}/files/${specRoute}`, location.href).href;
    const wasmPaths = new URL('/playground/ort/', location.href).href;
    loaded.set(
      name,
      import(BUNDLE).then((recur) => recur.load(specUrl, { wasmPaths, headers: authHeaders() })),
    );
    // A failed load is tried again next time rather than kept.
    loaded.get(name).catch(() => loaded.delete(name));
  }
  return loaded.get(name);
}

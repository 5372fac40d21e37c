/**
 * The browser host's `node:module` and `node:url`: plugin modules listed in a spec are imported by
 * Node's resolution, which a page does not have. The bundle registers the built-in plugins; a spec
 * that lists plugin modules is refused when it is loaded (RECUR_E_PLUGIN_LOAD).
 */
export function createRequire(): never {
  throw new Error("a spec's plugin modules cannot be imported in the browser; only the built-in plugins are there");
}

export function pathToFileURL(path: string): URL {
  return new URL(path);
}

export default { createRequire, pathToFileURL };

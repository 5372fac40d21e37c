/**
 * @recur/browser: Recur in a web page. `load(specUrl)` fetches the spec, its tokenizers and weights by
 * URL relative to the spec's URL (no reference may leave the spec's base URL) and runs the pipeline on
 * onnxruntime-web, with the same runtime, plugins and task code as Node and the same
 * `run`/`stream`/`AbortSignal`/`dispose()` API. Built into one ES module, `dist/recur-browser.js`;
 * onnxruntime-web's `.wasm` files stay outside it (`wasmPaths`).
 */
import { embeddingPlugins, headPlugins, recurrentPlugins, tokenizerPlugins } from './builtin-plugins.js';
import { load as loadPipeline, PluginRegistry, RecurError, type Logger, type Pipeline } from '@recur/runtime';
import { WebBackend } from './web-backend.js';
import { attachHost } from './host/node-fs.js';
import { FetchFileHost } from './host/fetch-host.js';
import { consoleLogger } from './console-logger.js';

export { RecurError };
export type { Pipeline, Logger };

/** Load-time options of the browser's `load`. */
export interface BrowserLoadOptions {
  /**
   * The URL prefix (ending in `/`) where onnxruntime-web's `.wasm` and `.mjs` files are served.
   * @defaultValue onnxruntime-web's default: next to this bundle
   */
  readonly wasmPaths?: string;
  /** Headers sent with every request for the spec's files (an `Authorization` header, say). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Execution providers in order of preference: `["webgpu"]` uses WebGPU where the browser has it and
   * falls back to WASM with a logged warning. Replaces the spec's `runtime.executionProviders`.
   * @defaultValue `["wasm"]`
   */
  readonly executionProviders?: readonly string[];
  /**
   * WASM threads. More than one needs a cross-origin isolated page (COOP/COEP headers); without it
   * the pipeline runs on one thread and logs why. 0 lets onnxruntime-web choose.
   * @defaultValue the spec's `runtime.threads`, or 0
   */
  readonly threads?: number;
  /** Where warnings go. @defaultValue the browser console */
  readonly logger?: Logger;
}

/**
 * Loads a pipeline from the URL of its spec (absolute, or relative to the page). The pipeline's
 * `dispose()` frees its onnxruntime-web sessions.
 */
export async function load(specUrl: string | URL, options: BrowserLoadOptions = {}): Promise<Pipeline> {
  const url = new URL(specUrl, (globalThis as { location?: { href: string } }).location?.href).href;
  const base = url.replace(/[?#].*$/, '').replace(/[^/]*$/, '');
  const logger = options.logger ?? consoleLogger();
  const files = new FetchFileHost(options.headers ?? {}, undefined, base);
  const backend = new WebBackend({
    logger,
    readFile: (location) => files.read(location, 'weights file'),
    ...(options.wasmPaths !== undefined ? { wasmPaths: options.wasmPaths } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.executionProviders !== undefined ? { executionProviders: options.executionProviders } : {}),
  });
  const registry = new PluginRegistry().register(
    ...tokenizerPlugins,
    ...embeddingPlugins,
    ...recurrentPlugins,
    ...headPlugins,
  );
  const detach = attachHost(base, files);
  let pipeline: Pipeline;
  try {
    pipeline = await loadPipeline(url, { registry, backend, logger, fileHost: files });
  } catch (err) {
    await backend.dispose();
    throw err;
  } finally {
    // The sessions hold the weights now: the fetched bodies can go.
    detach();
    files.forget();
  }
  return owningBackend(pipeline, backend);
}

/** The pipeline, with `dispose()` also freeing the backend made for it. */
function owningBackend(pipeline: Pipeline, backend: WebBackend): Pipeline {
  return {
    get name() {
      return pipeline.name;
    },
    get task() {
      return pipeline.task;
    },
    get spec() {
      return pipeline.spec;
    },
    get units() {
      return pipeline.units;
    },
    get initializedWeights() {
      return pipeline.initializedWeights;
    },
    get specDir() {
      return pipeline.specDir;
    },
    run: (input, options) => pipeline.run(input, options),
    stream: (input, options) => pipeline.stream(input, options),
    dispose: async () => {
      await pipeline.dispose();
      await backend.dispose();
    },
  };
}

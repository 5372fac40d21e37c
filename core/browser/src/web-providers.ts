import type { Env } from 'onnxruntime-common';
import type { Logger } from '@recur/runtime';

/** Where onnxruntime-web finds its WASM files, and how many threads it may use. */
export interface WebWasmOptions {
  /**
   * The URL prefix (ending in `/`) where onnxruntime-web's `.wasm` and `.mjs` files are served, as
   * `ort.env.wasm.wasmPaths` takes it. They are not inside Recur's bundle.
   * @defaultValue onnxruntime-web's own default (next to the script that imports it)
   */
  readonly wasmPaths?: string;
  /**
   * WASM threads. More than one needs a cross-origin isolated page (COOP/COEP headers); elsewhere
   * the backend uses one and logs why. 0 lets onnxruntime-web choose.
   * @defaultValue the spec's `runtime.threads` (0 when it has none)
   */
  readonly threads?: number;
}

/** The providers onnxruntime-web has in the bundle Recur uses. */
const WEB_PROVIDERS = ['webgpu', 'wasm'] as const;

/**
 * Sets onnxruntime-web's WASM options before its first session (they are process-wide and fixed
 * then). Threads only where the page is cross-origin isolated: elsewhere SharedArrayBuffer does not
 * exist and onnxruntime-web would fail or warn on its own.
 */
export function configureWasm(
  env: Env,
  options: WebWasmOptions,
  specThreads: number | undefined,
  logger: Logger,
): void {
  if (options.wasmPaths !== undefined) env.wasm.wasmPaths = options.wasmPaths;
  const wanted = options.threads ?? specThreads ?? 0;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  if (!isolated && wanted !== 1) {
    // The spec's `runtime.threads` is written for Node: only a page's own request is worth a warning.
    if (options.threads !== undefined && options.threads > 1)
      logger.warn(
        `${wanted} WASM threads asked for, but the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp); running on one thread`,
        { threads: wanted },
      );
    env.wasm.numThreads = 1;
    return;
  }
  env.wasm.numThreads = wanted;
}

/**
 * The requested providers (`providerCandidates` order, `cpu` last) as onnxruntime-web names them
 * (`cpu` is its `wasm`), keeping those this browser can start, and the others with the reason each
 * was dropped. WebGPU needs `navigator.gpu` and an adapter.
 */
export async function webProviderCandidates(
  requested: readonly string[],
): Promise<{ usable: string[]; dropped: { provider: string; reason: string }[] }> {
  const usable: string[] = [];
  const dropped: { provider: string; reason: string }[] = [];
  for (const name of requested) {
    const provider = name === 'cpu' ? 'wasm' : name;
    if (usable.includes(provider)) continue;
    if (!(WEB_PROVIDERS as readonly string[]).includes(provider)) {
      dropped.push({ provider, reason: `not in onnxruntime-web (it has: ${WEB_PROVIDERS.join(', ')})` });
      continue;
    }
    if (provider === 'webgpu') {
      const reason = await webGpuMissing();
      if (reason !== undefined) {
        dropped.push({ provider, reason });
        continue;
      }
    }
    usable.push(provider);
  }
  return { usable, dropped };
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/** Why this browser cannot run WebGPU, or undefined when it can. */
async function webGpuMissing(): Promise<string | undefined> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (gpu === undefined) return 'this browser has no WebGPU (navigator.gpu is missing)';
  try {
    return (await gpu.requestAdapter()) === null ? 'this browser offers no WebGPU adapter' : undefined;
  } catch (err) {
    return `requesting a WebGPU adapter failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}

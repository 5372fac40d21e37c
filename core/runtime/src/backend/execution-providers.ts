import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { listSupportedBackends } from './onnxruntime.js';

export { normalizeProvider, providerCandidates } from './provider-candidates.js';

let supported: readonly string[] | undefined;

/**
 * The providers this onnxruntime-node build knows (`cpu`, `webgpu`, `cuda`, ...). Knowing one does not
 * mean it works: CUDA needs libraries that are installed separately, so creation can still fail.
 */
export function knownProviders(): readonly string[] {
  supported ??= Object.freeze(listSupportedBackends().map((b) => b.name.toLowerCase()));
  return supported;
}

/** Providers that onnxruntime-node loads from separate libraries next to its binding, installed apart. */
const PROVIDER_LIBRARIES: Readonly<Record<string, string>> = { cuda: 'cuda', tensorrt: 'tensorrt' };

/**
 * Why a provider cannot start before ONNX Runtime is asked, or undefined when it may: CUDA and
 * TensorRT live in their own libraries (`libonnxruntime_providers_cuda.so` beside
 * `libonnxruntime_providers_shared.so`), which ONNX Runtime loads from its own folder and which the
 * npm package only has after `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node`. Asking
 * ONNX Runtime anyway makes it print a red "Failed to load library" error to stderr before it throws,
 * which reads as a failure when the fallback to CPU is the expected outcome.
 */
export function missingProviderLibrary(provider: string): string | undefined {
  const library = PROVIDER_LIBRARIES[provider];
  if (!library || (process.platform !== 'linux' && process.platform !== 'win32')) return undefined;
  const dir = bindingFolder();
  if (dir === undefined) return undefined;
  const file = (name: string) =>
    process.platform === 'win32' ? `onnxruntime_providers_${name}.dll` : `libonnxruntime_providers_${name}.so`;
  const missing = [file('shared'), file(library)].filter((f) => !existsSync(join(dir, f)));
  if (missing.length === 0) return undefined;
  return `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not installed in ${dir} (run ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node on a machine with network access and CUDA 12)`;
}

let binding: string | null | undefined;

/** The folder of onnxruntime-node's native binding for this platform, or undefined if it cannot be found. */
function bindingFolder(): string | undefined {
  if (binding === undefined) {
    try {
      const entry = createRequire(import.meta.url).resolve('onnxruntime-node');
      const dir = join(dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
      binding = existsSync(dir) ? dir : null;
    } catch {
      binding = null;
    }
  }
  return binding ?? undefined;
}

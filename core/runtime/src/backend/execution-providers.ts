import { listSupportedBackends } from './onnxruntime.js';

/**
 * `CUDAExecutionProvider`, `CUDA` and `cuda` all mean ONNX Runtime's `cuda` provider; the spec may use
 * any of them.
 */
export function normalizeProvider(name: string): string {
  return name.trim().toLowerCase().replace(/executionprovider$/, '');
}

/**
 * The providers to try, in order: the requested ones without duplicates, CPU always last (it is the
 * fallback that always exists).
 */
export function providerCandidates(requested: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const name of requested ?? []) {
    const p = normalizeProvider(name);
    if (p !== 'cpu' && p !== '' && !out.includes(p)) out.push(p);
  }
  out.push('cpu');
  return out;
}

let supported: readonly string[] | undefined;

/**
 * The providers this onnxruntime-node build knows (`cpu`, `webgpu`, `cuda`, ...). Knowing one does not
 * mean it works: CUDA needs libraries that are installed separately, so creation can still fail.
 */
export function knownProviders(): readonly string[] {
  supported ??= Object.freeze(listSupportedBackends().map((b) => b.name.toLowerCase()));
  return supported;
}

/** Provider names as a spec gives them, shared by the Node and the browser backends (no host dependency). */

/**
 * `CUDAExecutionProvider`, `CUDA` and `cuda` all mean ONNX Runtime's `cuda` provider; the spec may use
 * any of them.
 */
export function normalizeProvider(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/executionprovider$/, '');
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

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

/** A provider a session could not use, and why. */
export interface ProviderFailure {
  readonly provider: string;
  readonly reason: string;
}

/**
 * Records that a unit falls back from a provider, with the warning both backends log for it: the list of
 * failures is what their final error reports when no provider is left.
 */
export function dropProvider(
  logger: { warn(message: string, fields?: Record<string, unknown>): void },
  unit: string,
  failure: ProviderFailure,
  failures: ProviderFailure[],
): void {
  failures.push(failure);
  logger.warn(
    `execution provider "${failure.provider}" is unavailable for unit "${unit}", falling back: ${failure.reason}`,
    {
      unit,
      provider: failure.provider,
      reason: failure.reason,
    },
  );
}

/** Provider names as a spec gives them, shared by the Node and the browser backends (no host dependency). */
import { E } from '../errors/runtime-errors.js';
import type { ComputeUnit } from '../plugins/task-contract.js';
import { userModelRejected } from './user-model-rejected.js';

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

/** The first line of an error's message (ONNX Runtime's carry native stack lines after it). */
export function errorLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].trim();
}

/**
 * Creates a session on `providers` in order, for both backends: a provider whose session fails is
 * dropped with the fallback warning (`dropProvider`) and the rest tried; when the last fails, the
 * error lists every provider's reason (RECUR_E_BACKEND_FAILED, or RECUR_E_ONNX_REJECTED for a
 * user's ONNX file). Returns the session and the providers it runs on.
 */
export async function createOnFirstWorkingProvider<S>(
  unit: ComputeUnit,
  providers: readonly string[],
  failures: ProviderFailure[],
  context: { readonly logger: Parameters<typeof dropProvider>[0]; readonly runtime: string },
  create: (providers: readonly string[]) => Promise<S>,
): Promise<{ readonly session: S; readonly providers: readonly string[] }> {
  let remaining = providers;
  for (;;) {
    try {
      return { session: await create(remaining), providers: remaining };
    } catch (err) {
      const failure = { provider: remaining[0], reason: errorLine(err) };
      if (remaining.length === 1) {
        failures.push(failure);
        const list = failures.map((f) => `[${f.provider}] ${f.reason}`).join(', ');
        if (unit.userModels?.length) throw userModelRejected(unit, `cannot create a session: ${list}`, err);
        throw E.BACKEND_FAILED(
          `cannot create an ${context.runtime} session for unit "${unit.name}": ${list}`,
          { pointer: unit.name, failures },
          { cause: err },
        );
      }
      dropProvider(context.logger, unit.name, failure, failures);
      remaining = remaining.slice(1);
    }
  }
}

import type { SessionOptions } from '@recur/runtime';

/** The spec's `runtime` block as session options (execution providers, threads). */
export function sessionOptionsOf(spec: Readonly<Record<string, unknown>>): SessionOptions {
  const rt = runtimeBlock(spec);
  return {
    ...(Array.isArray(rt['executionProviders']) ? { executionProviders: rt['executionProviders'] as string[] } : {}),
    ...(typeof rt['threads'] === 'number' ? { threads: rt['threads'] } : {}),
  };
}

/** `runtime.maxBatch`, or `fallback` when the spec leaves it out. */
export function maxBatchOf(spec: Readonly<Record<string, unknown>>, fallback = 32): number {
  const v = runtimeBlock(spec)['maxBatch'];
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : fallback;
}

function runtimeBlock(spec: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const rt = spec['runtime'];
  return rt && typeof rt === 'object' ? (rt as Record<string, unknown>) : {};
}

import type { SpecLimits } from './spec-types.js';

/** Default caps: generous for any real spec, small enough that hostile input is refused cheaply. */
export const DEFAULT_SPEC_LIMITS: SpecLimits = Object.freeze({
  maxBytes: 1024 * 1024,
  maxDepth: 64,
  maxStringLength: 64 * 1024,
  maxKeys: 10_000,
});

/** Keys that JavaScript treats specially; a spec may not use them anywhere. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Caps given by the caller, completed with the defaults; nonsense values fall back to the default. */
export function resolveLimits(limits: Partial<SpecLimits> | undefined): SpecLimits {
  const pick = (key: keyof SpecLimits): number => {
    const v = limits?.[key];
    return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : DEFAULT_SPEC_LIMITS[key];
  };
  return {
    maxBytes: pick('maxBytes'),
    maxDepth: pick('maxDepth'),
    maxStringLength: pick('maxStringLength'),
    maxKeys: pick('maxKeys'),
  };
}

import type { ParamSet } from '../engine/param-set.js';

/** The global L2 norm of every trained parameter's gradient (accumulated in float64). */
export function gradientNorm(params: ParamSet): number {
  let sum = 0;
  for (const p of params) {
    if (p.frozen) continue;
    const g = p.grad;
    for (let i = 0; i < g.length; i++) sum += g[i] * g[i];
  }
  return Math.sqrt(sum);
}

/**
 * Scales every gradient so that their global norm is at most `maxNorm`, as
 * `torch.nn.utils.clip_grad_norm_` does (coefficient maxNorm / (norm + 1e-6), applied only when < 1).
 * Returns the norm before clipping.
 */
export function clipGradientNorm(params: ParamSet, maxNorm: number): number {
  const norm = gradientNorm(params);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) {
    for (const p of params) {
      if (p.frozen) continue;
      const g = p.grad;
      for (let i = 0; i < g.length; i++) g[i] = g[i] * coef;
    }
  }
  return norm;
}

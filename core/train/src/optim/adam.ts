import { type TensorData } from '@recur/runtime';
import { toFloat32 } from '@recur/runtime/internal';
import type { Param, ParamSet } from '../engine/param-set.js';
import { TrainErrors } from '../errors.js';
import type { Optimizer, OptimizerConfig } from './optimizer.js';

interface Moments {
  m: Float32Array;
  v: Float32Array;
  vmax?: Float32Array;
}

/**
 * Adam and AdamW as `torch.optim.Adam` / `torch.optim.AdamW` (PyTorch 1.13, single-tensor path):
 *   Adam:  g += wd * p
 *   AdamW: p *= 1 - lr * wd
 *   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
 *   p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)        (amsgrad: max of v so far)
 */
export class AdamOptimizer implements Optimizer {
  private readonly moments = new Map<string, Moments>();
  private t = 0;

  constructor(readonly config: OptimizerConfig) {}

  get steps(): number {
    return this.t;
  }

  private get decoupled(): boolean {
    return this.config.name === 'adamw';
  }

  step(params: ParamSet, lr: number): void {
    this.t += 1;
    const [b1, b2] = this.config.betas ?? [0.9, 0.999];
    const eps = this.config.eps ?? 1e-8;
    const wd = this.config.weightDecay ?? (this.decoupled ? 0.01 : 0);
    const stepSize = lr / (1 - b1 ** this.t);
    const invBc2Sqrt = 1 / Math.sqrt(1 - b2 ** this.t);
    for (const p of params) {
      if (p.frozen) continue;
      const mo = this.momentsOf(p);
      if (this.decoupled && wd !== 0) scaleInPlace(p.value, 1 - lr * wd);
      update(p.value, p.grad, mo, b1, b2, eps, this.decoupled ? 0 : wd, stepSize, invBc2Sqrt);
    }
  }

  private momentsOf(p: Param): Moments {
    let mo = this.moments.get(p.name);
    if (!mo) {
      const n = p.value.length;
      mo = {
        m: new Float32Array(n),
        v: new Float32Array(n),
        ...(this.config.amsgrad ? { vmax: new Float32Array(n) } : {}),
      };
      this.moments.set(p.name, mo);
    }
    return mo;
  }

  stateTensors(): Record<string, TensorData> {
    const out: Record<string, TensorData> = {};
    for (const [name, mo] of this.moments) {
      out[`adam.m.${name}`] = { dtype: 'float32', dims: [mo.m.length], data: mo.m };
      out[`adam.v.${name}`] = { dtype: 'float32', dims: [mo.v.length], data: mo.v };
      if (mo.vmax) out[`adam.vmax.${name}`] = { dtype: 'float32', dims: [mo.vmax.length], data: mo.vmax };
    }
    return out;
  }

  loadState(state: Readonly<Record<string, TensorData>>, steps: number): void {
    this.moments.clear();
    this.t = steps;
    for (const key of Object.keys(state)) {
      if (!key.startsWith('adam.m.')) continue;
      const name = key.slice('adam.m.'.length);
      const v = state[`adam.v.${name}`];
      if (!v)
        throw TrainErrors.CHECKPOINT_INVALID(`the checkpoint has Adam's first moment of ${name} but not its second`, {
          tensor: name,
        });
      const vmax = state[`adam.vmax.${name}`];
      this.moments.set(name, {
        m: Float32Array.from(toFloat32(state[key])),
        v: Float32Array.from(toFloat32(v)),
        ...(vmax ? { vmax: Float32Array.from(toFloat32(vmax)) } : {}),
      });
    }
  }
}

function scaleInPlace(x: Float32Array, s: number): void {
  for (let i = 0; i < x.length; i++) x[i] = x[i] * s;
}

/** The inner loops, kept free of branches and property lookups (they run over millions of values). */
function update(
  p: Float32Array,
  g: Float32Array,
  mo: Moments,
  b1: number,
  b2: number,
  eps: number,
  wd: number,
  stepSize: number,
  invBc2Sqrt: number,
): void {
  const m = mo.m,
    v = mo.v,
    n = p.length;
  const c1 = 1 - b1,
    c2 = 1 - b2;
  if (wd === 0 && !mo.vmax) {
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = b1 * m[i] + c1 * gi;
      const vi = b2 * v[i] + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      // m and v are read back as stored (float32), as PyTorch keeps them.
      p[i] = p[i] - (stepSize * m[i]) / (Math.sqrt(v[i]) * invBc2Sqrt + eps);
    }
    return;
  }
  const vmax = mo.vmax;
  for (let i = 0; i < n; i++) {
    const gi = wd === 0 ? g[i] : Math.fround(g[i] + wd * p[i]);
    m[i] = b1 * m[i] + c1 * gi;
    v[i] = b2 * v[i] + c2 * gi * gi;
    let vi = v[i];
    if (vmax) vi = vmax[i] = Math.max(vmax[i], vi);
    p[i] = p[i] - (stepSize * m[i]) / (Math.sqrt(vi) * invBc2Sqrt + eps);
  }
}

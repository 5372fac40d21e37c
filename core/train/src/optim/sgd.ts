import { type TensorData } from '@recur/runtime';
import { toFloat32 } from '@recur/runtime/internal';
import type { ParamSet } from '../engine/param-set.js';
import type { Optimizer, OptimizerConfig } from './optimizer.js';

/**
 * SGD as `torch.optim.SGD` (PyTorch 1.13):
 *   d = g + wd * p
 *   momentum: buf = d on the first step, else momentum * buf + (1 - dampening) * d;
 *             d = nesterov ? d + momentum * buf : buf
 *   p -= lr * d
 */
export class SgdOptimizer implements Optimizer {
  private readonly buffers = new Map<string, Float32Array>();
  private t = 0;

  constructor(readonly config: OptimizerConfig) {}

  get steps(): number {
    return this.t;
  }

  step(params: ParamSet, lr: number): void {
    this.t += 1;
    const wd = this.config.weightDecay ?? 0;
    const mu = this.config.momentum ?? 0;
    const damp = this.config.dampening ?? 0;
    const nesterov = this.config.nesterov ?? false;
    for (const p of params) {
      if (p.frozen) continue;
      const x = p.value,
        g = p.grad,
        n = x.length;
      let buf = this.buffers.get(p.name);
      const first = buf === undefined;
      if (mu !== 0 && !buf) this.buffers.set(p.name, (buf = new Float32Array(n)));
      for (let i = 0; i < n; i++) {
        let d = wd === 0 ? g[i] : Math.fround(g[i] + wd * x[i]);
        if (buf) {
          const b = (buf[i] = first ? d : mu * buf[i] + (1 - damp) * d);
          d = nesterov ? Math.fround(d + mu * b) : b;
        }
        x[i] = x[i] - lr * d;
      }
    }
  }

  stateTensors(): Record<string, TensorData> {
    const out: Record<string, TensorData> = {};
    for (const [name, b] of this.buffers) out[`sgd.momentum.${name}`] = { dtype: 'float32', dims: [b.length], data: b };
    return out;
  }

  loadState(state: Readonly<Record<string, TensorData>>, steps: number): void {
    this.buffers.clear();
    this.t = steps;
    for (const [key, t] of Object.entries(state)) {
      if (key.startsWith('sgd.momentum.'))
        this.buffers.set(key.slice('sgd.momentum.'.length), Float32Array.from(toFloat32(t)));
    }
  }
}

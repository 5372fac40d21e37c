import { TrainErrors } from '../errors.js';
import type { OptimizerConfig } from '../optim/optimizer.js';

/**
 * One `train[]` case of a PyTorch fixture folder: a tiny language model Embedding -> LSTM/GRU -> Linear,
 * its initial weights, one batch, the loss and gradients there, and the weights after some optimizer
 * steps on that batch (format: test/fixtures/pytorch-train/README.md in the repository).
 */
export interface LmTrainCase {
  readonly name: string;
  readonly file: string;
  readonly cell: string;
  readonly vocab: number;
  readonly embed: number;
  readonly hidden: number;
  readonly T: number;
  readonly B: number;
  readonly layers: number;
  readonly bidirectional: boolean;
  /** `mean` (PyTorch's default) or `sum` over the T*B targets. */
  readonly reduction: 'mean' | 'sum';
  readonly optimizer: OptimizerConfig;
  readonly steps: number;
}

/** Reads a case, with PyTorch's defaults for every optimizer field it leaves out. */
export function parseLmCase(raw: Readonly<Record<string, unknown>>): LmTrainCase {
  const name = String(raw['name']);
  const num = (key: string, dflt?: number): number => {
    const v = raw[key] ?? dflt;
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw TrainErrors.FIXTURE_INVALID(`train case ${name}: "${key}" must be a number`, {
        pointer: `/train/${name}/${key}`,
      });
    return v;
  };
  const opt = (raw['optimizer'] ?? {}) as Record<string, unknown>;
  if (typeof opt['name'] !== 'string')
    throw TrainErrors.FIXTURE_INVALID(`train case ${name}: "optimizer.name" is missing`, {
      pointer: `/train/${name}/optimizer`,
    });
  const optNum = (key: string): number | undefined => (typeof opt[key] === 'number' ? opt[key] : undefined);
  const betas = Array.isArray(opt['betas']) ? (opt['betas'] as number[]) : undefined;
  const optimizer: OptimizerConfig = {
    name: opt['name'],
    lr: optNum('lr') ?? 1e-3,
    ...(betas ? { betas: [betas[0], betas[1]] as const } : {}),
    ...(optNum('eps') !== undefined ? { eps: optNum('eps')! } : {}),
    ...(optNum('weight_decay') !== undefined ? { weightDecay: optNum('weight_decay')! } : {}),
    ...(optNum('momentum') !== undefined ? { momentum: optNum('momentum')! } : {}),
    ...(optNum('dampening') !== undefined ? { dampening: optNum('dampening')! } : {}),
    ...(typeof opt['nesterov'] === 'boolean' ? { nesterov: opt['nesterov'] } : {}),
    ...(typeof opt['amsgrad'] === 'boolean' ? { amsgrad: opt['amsgrad'] } : {}),
  };
  const loss = typeof raw['loss'] === 'string' ? raw['loss'] : 'mean';
  return {
    name,
    file: String(raw['file']),
    cell: String(raw['cell']),
    vocab: num('vocab'),
    embed: num('embed'),
    hidden: num('hidden'),
    T: num('T'),
    B: num('B'),
    layers: num('layers', 1),
    bidirectional: raw['bidirectional'] === true,
    reduction: /^\s*sum/i.test(loss) ? 'sum' : 'mean',
    optimizer,
    steps: optNum('steps') ?? 1,
  };
}

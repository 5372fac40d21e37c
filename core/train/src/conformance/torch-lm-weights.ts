import type { TensorData, WeightStore } from '@recur/runtime';
import { TrainErrors } from '../errors.js';
import { LM_PARAMS } from '../engine/lm-forward.js';
import type { LmTrainCase } from './lm-case.js';

/** `importTorchRecurrent` of @recur/recurrent: a PyTorch nn.LSTM/GRU/RNN state dict -> Recur's encoder weights. */
export type TorchRecurrentImport = (
  stateDict: WeightStore,
  config: { kind: string; layers: number; bidirectional: boolean; from?: string },
  prefix?: string,
) => Record<string, TensorData>;

/**
 * The fixture's tensors under `prefix` (`init.`, `grad.`, `after.`) by Recur parameter name. PyTorch's
 * module names are `embed`, `rnn` and `out`; the recurrent part goes through the recurrent package's
 * importer (gate order and bias layout), which is linear, so it maps gradients the same way.
 */
export function torchLmTensors(
  store: WeightStore,
  prefix: string,
  c: LmTrainCase,
  importTorch: TorchRecurrentImport,
): Record<string, TensorData> {
  const need = (name: string): TensorData => {
    const t = store.get(prefix + name);
    if (!t) throw TrainErrors.FIXTURE_INVALID(`${store.source} has no tensor ${prefix + name}`, { file: store.source });
    return t;
  };
  const kind = c.cell === 'rnn' ? 'rnn_tanh' : c.cell;
  return {
    [LM_PARAMS.embedding]: need('embed.weight'),
    ...importTorch(store, { kind, layers: c.layers, bidirectional: c.bidirectional, from: `${prefix}rnn.` }, 'encoder'),
    [LM_PARAMS.outW]: need('out.weight'),
    [LM_PARAMS.outB]: need('out.bias'),
  };
}

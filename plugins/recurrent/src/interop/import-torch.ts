import { type TensorData, type WeightStore } from '@recur/runtime';
import { nearestNames, toFloat32 } from '@recur/runtime/internal';
import { E } from '../errors.js';

/** The PyTorch module a state dict comes from: `nn.LSTM`, `nn.GRU`, or `nn.RNN` (tanh or relu). */
export type TorchRecurrentKind = 'lstm' | 'gru' | 'rnn' | 'rnn_tanh' | 'rnn_relu';

export interface TorchRecurrentConfig {
  readonly kind: TorchRecurrentKind;
  /** `num_layers` of the module. */
  readonly layers: number;
  readonly bidirectional: boolean;
  /** `hidden_size`; read from `weight_hh_l0` when omitted. */
  readonly hidden?: number;
  /** False for a module made with `bias=False`: Recur's `B` is then zeros. @defaultValue true */
  readonly bias?: boolean;
  /** Prefix of the module's tensors in the state dict, dot included (`rnn.`, `param.`). @defaultValue '' */
  readonly from?: string;
}

/**
 * Gate blocks of ONNX's order, each given as its index in PyTorch's order:
 * LSTM i,f,g,o -> i,o,f,c; GRU r,z,n -> z,r,h; RNN has one block.
 */
const GATE_ORDER: Record<'lstm' | 'gru' | 'rnn', readonly number[]> = { lstm: [0, 3, 1, 2], gru: [1, 0, 2], rnn: [0] };

/**
 * Converts a PyTorch `nn.LSTM`/`nn.GRU`/`nn.RNN` state dict into Recur's weights for a
 * `recurrent` encoder: `<prefix>.layers.<l>.<forward|backward>.{W, R, B}` in ONNX's layout (gates
 * reordered, biases concatenated as [Wb, Rb]), float32. Strict: a state dict that describes another
 * module than `config` (layers, directions, biases, kind, hidden size) is refused with
 * RECUR_E_RECURRENT_TORCH_MISMATCH, a tensor under `from` that the module does not use with
 * RECUR_E_RECURRENT_TORCH_UNUSED, a missing or mis-shaped one with RECUR_E_RECURRENT_TORCH_MISSING or
 * RECUR_E_RECURRENT_TORCH_SHAPE naming it.
 *
 * @example
 * const store = await readSafetensors('lstm.safetensors');
 * const weights = importTorchRecurrent(store, { kind: 'lstm', layers: 2, bidirectional: true }, 'encoder');
 * // weights['encoder.layers.1.backward.W'] is [4*hidden, 2*hidden]
 */
export function importTorchRecurrent(
  stateDict: WeightStore | Readonly<Record<string, TensorData>>,
  config: TorchRecurrentConfig,
  prefix = 'encoder',
): Record<string, TensorData> {
  const get = (name: string): TensorData | undefined =>
    isStore(stateDict)
      ? stateDict.get(name)
      : Object.prototype.hasOwnProperty.call(stateDict, name)
        ? stateDict[name]
        : undefined;
  const names = isStore(stateDict) ? stateDict.names() : Object.keys(stateDict);
  const from = config.from ?? '';
  const family =
    config.kind === 'lstm' || config.kind === 'gru' ? config.kind : config.kind.startsWith('rnn') ? 'rnn' : undefined;
  if (!family)
    throw E.TORCH_UNSUPPORTED(`unknown recurrent kind ${JSON.stringify(config.kind)}`, {
      expected: 'lstm | gru | rnn | rnn_tanh | rnn_relu',
    });
  const projection = names.find((n) => n.startsWith(`${from}weight_hr_l`));
  if (projection)
    throw E.TORCH_UNSUPPORTED(`${projection}: LSTMs with proj_size are not supported`, { tensor: projection });

  const order = GATE_ORDER[family];
  const gates = order.length;
  checkLayout(names, (n) => get(n)?.dims, from, config, family, gates);
  const used = new Set<string>();
  const require = (name: string): TensorData => {
    const t = get(from + name);
    used.add(from + name);
    if (t) return t;
    const near = nearestNames(from + name, names);
    throw E.TORCH_MISSING(
      `the state dict has no tensor ${JSON.stringify(from + name)} (a ${config.kind}, ${config.layers} layer(s)${config.bidirectional ? ', bidirectional' : ''})${near.length ? `; nearest: ${near.join(', ')}` : ''}`,
      {
        tensor: from + name,
        suggestions: near,
      },
    );
  };
  const checked = (name: string, dims: readonly number[]): Float32Array => {
    const t = require(name);
    if (t.dims.length !== dims.length || t.dims.some((d, i) => d !== dims[i])) {
      throw E.TORCH_SHAPE(
        `${from + name} is [${t.dims.join(', ')}], expected [${dims.join(', ')}] for a ${config.kind} with hidden ${hidden}`,
        {
          tensor: from + name,
          expected: `[${dims.join(', ')}]`,
          actual: `[${t.dims.join(', ')}]`,
        },
      );
    }
    return toFloat32(t);
  };

  const hidden = config.hidden ?? require('weight_hh_l0').dims[1];
  const out: Record<string, TensorData> = {};
  const dirs = config.bidirectional ? 2 : 1;
  for (let l = 0; l < config.layers; l++) {
    const inputSize = l === 0 ? require('weight_ih_l0').dims[1] : dirs * hidden;
    for (let d = 0; d < dirs; d++) {
      const suffix = `_l${l}${d === 1 ? '_reverse' : ''}`;
      const rows = gates * hidden;
      const W = reorderGates(checked(`weight_ih${suffix}`, [rows, inputSize]), order, hidden * inputSize);
      const R = reorderGates(checked(`weight_hh${suffix}`, [rows, hidden]), order, hidden * hidden);
      const B = new Float32Array(2 * rows);
      if (config.bias !== false) {
        B.set(reorderGates(checked(`bias_ih${suffix}`, [rows]), order, hidden), 0);
        B.set(reorderGates(checked(`bias_hh${suffix}`, [rows]), order, hidden), rows);
      }
      const scope = `${prefix ? prefix + '.' : ''}layers.${l}.${d === 1 ? 'backward' : 'forward'}`;
      out[`${scope}.W`] = { dtype: 'float32', dims: [rows, inputSize], data: W };
      out[`${scope}.R`] = { dtype: 'float32', dims: [rows, hidden], data: R };
      out[`${scope}.B`] = { dtype: 'float32', dims: [2 * rows], data: B };
    }
  }
  const unused = names.filter((n) => n.startsWith(from) && !used.has(n));
  if (unused.length > 0) {
    throw E.TORCH_UNUSED(
      `the state dict has tensors under "${from}" that a ${config.kind} with ${config.layers} layer(s) does not use: ${listNames(unused)}`,
      { unused, expected: `only the tensors of nn.${TORCH_MODULE[family]}` },
    );
  }
  return out;
}

const TORCH_MODULE = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN' } as const;

/**
 * Compares what the state dict's names and shapes say about the module (layers, directions, biases,
 * gate count, hidden size) with `config`, so that a mismatch is refused as one, naming both sides,
 * instead of tensors being dropped or zero-filled.
 */
function checkLayout(
  names: readonly string[],
  dimsOf: (name: string) => readonly number[] | undefined,
  from: string,
  config: TorchRecurrentConfig,
  family: 'lstm' | 'gru' | 'rnn',
  gates: number,
): void {
  const own = names.filter((n) => n.startsWith(from)).map((n) => n.slice(from.length));
  const layerIndices = own
    .map((n) => /^weight_ih_l(\d+)(_reverse)?$/.exec(n)?.[1])
    .filter((l): l is string => l !== undefined)
    .map(Number);
  if (layerIndices.length === 0) return; // nothing here at all: the missing-tensor error names what is needed
  const layers = Math.max(...layerIndices) + 1;
  const mismatch = (what: string, dict: string, configured: string) =>
    E.TORCH_MISMATCH(
      `the state dict under "${from}" ${what}: ${dict}, but the import is configured for ${configured}`,
      { expected: configured, actual: dict },
    );
  if (layers !== config.layers)
    throw mismatch('has another number of layers', `${layers} layer(s)`, `${config.layers} layer(s)`);
  const reverse = own.some((n) => n.endsWith('_reverse'));
  if (reverse !== config.bidirectional)
    throw mismatch(
      'has another number of directions',
      reverse ? 'bidirectional (_reverse tensors)' : 'unidirectional (no _reverse tensors)',
      config.bidirectional ? 'bidirectional' : 'unidirectional',
    );
  const biased = own.some((n) => n.startsWith('bias_'));
  if (config.bias === false && biased)
    throw mismatch('has biases', 'bias_ih/bias_hh tensors', 'bias: false (biases would be dropped)');
  const hh = dimsOf(from + 'weight_hh_l0');
  if (hh && hh.length === 2 && hh[1] > 0) {
    const dictGates = hh[0] / hh[1];
    if (dictGates !== gates) {
      const kind =
        dictGates === 4
          ? 'an LSTM'
          : dictGates === 3
            ? 'a GRU'
            : dictGates === 1
              ? 'an RNN'
              : `${dictGates} gate blocks`;
      throw mismatch(
        'is another kind of recurrent module',
        `${kind} (weight_hh_l0 is [${hh.join(', ')}])`,
        `nn.${TORCH_MODULE[family]} (${gates} gate block(s))`,
      );
    }
    if (config.hidden !== undefined && hh[1] !== config.hidden)
      throw mismatch('has another hidden size', `hidden ${hh[1]}`, `hidden ${config.hidden}`);
  }
}

function listNames(names: readonly string[]): string {
  return names.length <= 12 ? names.join(', ') : `${names.slice(0, 12).join(', ')} and ${names.length - 12} more`;
}

/** Rearranges consecutive gate blocks of `blockSize` values: block k of the result is block order[k] of `src`. */
function reorderGates(src: Float32Array, order: readonly number[], blockSize: number): Float32Array {
  const out = new Float32Array(src.length);
  order.forEach((from, k) => {
    out.set(src.subarray(from * blockSize, (from + 1) * blockSize), k * blockSize);
  });
  return out;
}

function isStore(v: unknown): v is WeightStore {
  return typeof (v as WeightStore).get === 'function' && typeof (v as WeightStore).names === 'function';
}

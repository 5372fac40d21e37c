import {
  definePlugin,
  RuntimeErrors as E,
  type CellPart,
  type CellState,
  type CellStep,
  type EncoderOutputs,
  type GraphBuilder,
  type PartBlock,
  type Value,
} from '@recur/runtime';
import { checkCellContract, partSchema } from '@recur/runtime/internal';
import { pool, validMask } from '../pooling.js';
import {
  attend,
  ATTENTIONS,
  bahdanauAttention,
  luongAttention,
  type Attention,
  type AttentionKind,
} from './attention.js';
import type { DecoderGraph, DecoderSizes, DecoderState, Seq2SeqDecoderPart } from './decoder-contract.js';

export interface AttentionDecoderOptions {
  readonly cell: PartBlock;
  readonly hidden: number;
  readonly layers?: number;
  readonly attention?: AttentionKind;
  readonly attentionDim?: number;
  readonly dropout?: number;
}

/** The attention decoder as the trainer sees it: the contract plus its configuration. */
export interface AttentionDecoder extends Seq2SeqDecoderPart {
  readonly cell: CellPart;
  readonly hidden: number;
  readonly layers: number;
  readonly attention: AttentionKind;
  /** Dropout on the embedded input and the output, applied by training only. */
  readonly dropout: number;
}

/** Luong's input feeding carries the previous attentional vector as an extra state. */
const FEED = 'feed';

/**
 * A recurrent decoder with attention over the source memory (any registered cell, stacked layers).
 *
 * bahdanau (Bahdanau et al. 2015, as in the common PyTorch tutorial form):
 *   a_t = attention(s_{t-1}^top, memory);  c_t = sum_j a_tj m_j
 *   s_t = cell([e_{t-1}; c_t], s_{t-1});   output_t = [s_t^top; c_t; e_{t-1}]
 * luong (Luong et al. 2015, "general" score, input feeding):
 *   s_t = cell([e_{t-1}; h~_{t-1}], s_{t-1});  a_t = attention(s_t^top, memory)
 *   h~_t = tanh(Wc [c_t; s_t^top]);            output_t = h~_t
 * Initial state: every layer's `h` = tanh(bridge(top-layer final states of the source encoder)),
 * other cell states (LSTM `c`) and `feed` start at zero.
 *
 * Parameters under the decoder's scope: `layers.<l>.<cell params>`, `attention.*`, `bridge.W`
 * [layers*hidden, M], `bridge.b`, and for luong `combine.W` [hidden, M + hidden].
 */
export const attentionDecoder = definePlugin<'decoder', AttentionDecoderOptions>({
  kind: 'decoder',
  type: 'attention-decoder.v1',
  description: 'A recurrent decoder (any cell, stacked) with Bahdanau or Luong attention over the source encoding.',
  options: {
    type: 'object',
    properties: {
      cell: {
        ...partSchema('cell'),
        description: 'The recurrent cell of every decoder layer: `{ "type": "gru" }`, `lstm`, `rnn` or a plugin cell.',
      },
      hidden: { type: 'integer', minimum: 1, maximum: 65536, description: 'State size of each decoder layer.' },
      layers: {
        type: 'integer',
        minimum: 1,
        maximum: 16,
        default: 1,
        description: 'Number of stacked decoder layers; attention reads the top one.',
      },
      attention: {
        enum: [...ATTENTIONS],
        default: 'bahdanau',
        description:
          'Additive attention before the step (bahdanau) or multiplicative attention after it with input feeding (luong).',
      },
      attentionDim: {
        type: 'integer',
        minimum: 1,
        maximum: 65536,
        description: 'Size of the additive attention layer (bahdanau only); defaults to `hidden`.',
      },
      dropout: {
        type: 'number',
        minimum: 0,
        maximum: 0.9,
        default: 0,
        description: 'Dropout on the embedded target tokens and the decoder output, during training only.',
      },
    },
    required: ['cell', 'hidden'],
    additionalProperties: false,
  },
  async create(options, ctx): Promise<AttentionDecoder> {
    const cell = await ctx.create('cell', options.cell, `${ctx.pointer}/cell`, ctx.dims);
    if (cell.stateNames.includes(FEED)) {
      throw E.SPEC_INVALID(`the decoder's cell has a state named "${FEED}", which Luong attention uses itself`, {
        pointer: `${ctx.pointer}/cell`,
      });
    }
    const hidden = options.hidden;
    const layers = options.layers ?? 1;
    const attention = options.attention ?? 'bahdanau';
    const attentionDim = options.attentionDim ?? hidden;
    const luong = attention === 'luong';
    return {
      cell,
      hidden,
      layers,
      attention,
      dropout: options.dropout ?? 0,
      stateNames: luong ? [...cell.stateNames, FEED] : [...cell.stateNames],
      declare(scope, sizes) {
        return declareDecoder(scope, sizes, {
          cell,
          hidden,
          layers,
          luong,
          attentionDim,
          who: { type: options.cell.type, pointer: `${ctx.pointer}/cell` },
        });
      },
    };
  },
});

interface DecoderConfig {
  readonly cell: CellPart;
  readonly hidden: number;
  readonly layers: number;
  readonly luong: boolean;
  readonly attentionDim: number;
  /** The cell's spec type and pointer, for its contract errors. */
  readonly who: { readonly type: string; readonly pointer: string };
}

/** Feature size of a step's output for these sizes. */
export function attentionDecoderOutputDim(luong: boolean, hidden: number, sizes: DecoderSizes): number {
  return luong ? hidden : hidden + sizes.memoryDim + sizes.inputDim;
}

function declareDecoder(p: GraphBuilder, sizes: DecoderSizes, c: DecoderConfig): DecoderGraph {
  const { cell, hidden, layers, luong } = c;
  const M = sizes.memoryDim;
  // The cell's contract, checked on a scratch graph where the decoder learns its input sizes (so a
  // unit that never steps still carries none of the cell's weights).
  for (let l = 0; l < layers; l++)
    checkCellContract(cell, c.who, l === 0 ? sizes.inputDim + (luong ? hidden : M) : hidden, hidden);
  const attention: Attention = luong
    ? luongAttention(p.scope('attention'), M, hidden)
    : bahdanauAttention(p.scope('attention'), M, hidden, c.attentionDim);
  // Cells are declared on first use: a unit that never steps (the encoder unit) carries none of
  // their weights.
  let cells: CellStep[] | undefined;
  const layerCells = (): CellStep[] => {
    cells ??= Array.from({ length: layers }, (_, l) => {
      const firstInput = sizes.inputDim + (luong ? hidden : M);
      return cell.declare(p.scope(`layers.${l}`), l === 0 ? firstInput : hidden, hidden);
    });
    return cells;
  };
  const stateNames = cell.stateNames;

  const runLayers = (
    g: GraphBuilder,
    input: Value,
    state: DecoderState,
  ): { top: Value; next: Record<string, Value> } => {
    const steps = layerCells();
    const perLayer: CellState[] = [];
    let x = input;
    for (let l = 0; l < layers; l++) {
      const layerState: Record<string, Value> = {};
      for (const s of stateNames) layerState[s] = g.gather(state[s], g.scalar(l, 'int64'), 0); // [B, H]
      const step = steps[l];
      const next = step.step(g, step.project ? step.project(g, x) : x, layerState);
      perLayer.push(next);
      x = next[stateNames[0]]!;
    }
    const next: Record<string, Value> = {};
    for (const s of stateNames)
      next[s] =
        layers === 1
          ? g.unsqueeze(perLayer[0][s], [0])
          : g.concat(
              perLayer.map((st) => g.unsqueeze(st[s], [0])),
              0,
            );
    return { top: x, next };
  };

  return {
    outputDim: attentionDecoderOutputDim(luong, hidden, sizes),
    keys: (g, memory) => attention.keys(g, memory),
    prepare: (g, memory, lengths) => ({ memory, keys: attention.keys(g, memory), mask: validMask(g, memory, lengths) }),
    initialState(g, encoded: EncoderOutputs, lengths) {
      const summary = encoded.final['h'] ? pool(g, 'last', encoded, lengths, M) : pool(g, 'mean', encoded, lengths, M); // [B, M]
      const W = p.param('bridge.W', [layers * hidden, M], { kind: 'xavier' });
      const b = p.param('bridge.b', [layers * hidden], { kind: 'zeros' });
      const bridged = g.tanh(g.gemm(summary, W, b, { transB: true })); // [B, layers*H]
      const h0 = g.transpose(g.reshape(bridged, [0, layers, hidden]), [1, 0, 2]); // [layers, B, H]
      const state: Record<string, Value> = { [stateNames[0]]: h0 };
      for (const s of stateNames.slice(1)) state[s] = g.op1('ConstantOfShape', [g.shape(h0)]);
      if (luong) state[FEED] = g.op1('ConstantOfShape', [g.concat([g.ints([1]), g.shape(h0, 1, 3)], 0)]);
      return state;
    },
    step(g, input, state, source) {
      if (!luong) {
        const query = g.gather(state[stateNames[0]], g.scalar(layers - 1, 'int64'), 0); // s_{t-1}^top [B, H]
        const { weights, context } = attend(g, attention.score(g, query, source.keys), source.memory, source.mask);
        const { top, next } = runLayers(g, g.concat([input, context], 1), state);
        return { state: next, output: g.concat([top, context, input], 1), attention: g.transpose(weights, [1, 0]) };
      }
      const feed = g.squeeze(state[FEED], [0]);
      const { top, next } = runLayers(g, g.concat([input, feed], 1), state);
      const { weights, context } = attend(g, attention.score(g, top, source.keys), source.memory, source.mask);
      const Wc = p.param('combine.W', [hidden, M + hidden], { kind: 'xavier' });
      const attentional = g.tanh(g.gemm(g.concat([context, top], 1), Wc, undefined, { transB: true }));
      return {
        state: { ...next, [FEED]: g.unsqueeze(attentional, [0]) },
        output: attentional,
        attention: g.transpose(weights, [1, 0]),
      };
    },
  };
}

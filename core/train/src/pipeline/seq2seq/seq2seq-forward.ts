import { RuntimeErrors, type Dim, type GraphBuilder, type Value } from '@recur/runtime';
import { inferBody, inferGraph, Scope } from '@recur/runtime/internal';
import { crossEntropyLoss } from '../../engine/losses.js';
import { applyDropout, type ForwardResult, type MaskInput } from '../../engine/training-graph.js';
import { smoothedCrossEntropy } from './smoothed-loss.js';
import type { DecoderGraphView, Seq2SeqParts, SourceMemoryView } from './seq2seq-parts.js';

/** Input names of the seq2seq training graph. */
export const SEQ2SEQ_INPUTS = {
  /** [S, B] int64 source ids, padded. */
  sourceIds: 'src_ids',
  /** [B] int32 source lengths. */
  sourceLengths: 'src_lengths',
  /** [T, B] int64: bos then the target tokens (the gold previous token of each step), padded. */
  targetIn: 'tgt_in',
  /** [T, B] int64: the target tokens then eos (what each step must predict); IGNORE_TARGET on padding. */
  targetOut: 'tgt_out',
} as const;

/** Symbolic dimensions of the graph (dropout masks are sized by them per batch). */
export const SEQ2SEQ_DIMS = { source: 'S', target: 'T', batch: 'B' } as const;

export interface Seq2SeqForwardOptions {
  /** Dropout between the source encoder's layers (the encoder's `dropout`). @defaultValue 0 */
  readonly encoderDropout?: number;
  /** Label smoothing of the loss (`train.labelSmoothing`). @defaultValue 0 */
  readonly labelSmoothing?: number;
}

const I = SEQ2SEQ_INPUTS;
const { source: S, target: T, batch: B } = SEQ2SEQ_DIMS;

/**
 * The teacher-forced training graph of a translation pipeline, built from its own parts under the
 * scopes of the inference units (`source.embedding`, `source.encoder`, `target.embedding`,
 * `decoder`, `head`), so its parameters are the ones the shipped graphs read:
 *
 *   memory = encoder(embed(src_ids));  state_0 = decoder.initialState(...)
 *   for t in 0..T-1 (one ONNX Scan whose body is the decoder's own `step`):
 *     state_t+1, out_t = decoder.step(embed(tgt_in[t]), state_t, memory)
 *   loss = cross-entropy(head.project(out_0..T-1), tgt_out)   (all steps at once, padding ignored)
 *
 * The step is the one definition of the decoder's computation: inference calls it once per emitted
 * token, training once per gold token inside the Scan, which the autodiff differentiates (memory,
 * keys and the parameters are read from the outer graph). Dropout sits outside the loop: on the
 * embedded target tokens and on the decoder outputs (the decoder's and the head's `dropout`).
 */
export function seq2seqForward(
  g: GraphBuilder,
  parts: Seq2SeqParts,
  options: Seq2SeqForwardOptions = {},
): ForwardResult {
  const masks: MaskInput[] = [];
  const srcIds = g.input(I.sourceIds, 'int64', [S, B]);
  const srcLengths = g.input(I.sourceLengths, 'int32', [B]);
  const tgtIn = g.input(I.targetIn, 'int64', [T, B]);
  const tgtOut = g.input(I.targetOut, 'int64', [T, B]);

  const source = g.scope('source');
  const encoderDim = parts.sourceEncoder.outputDim;
  const x = parts.sourceEmbedding.build(source.scope('embedding'), srcIds);
  const betweenLayers = (gg: GraphBuilder, seq: Value, layer: number) =>
    applyDropout(gg, seq, `dropout.encoder${layer}`, options.encoderDropout ?? 0, [S, B, encoderDim], masks);
  const encoded = parts.sourceEncoder.build(source.scope('encoder'), x, srcLengths, undefined, { betweenLayers });

  const inputDim = parts.targetEmbedding.outputDim;
  const decoder = parts.decoder.declare(g.scope('decoder'), { memoryDim: encoderDim, inputDim });
  const memory = decoder.prepare(g, encoded.sequence, srcLengths);
  const initial = decoder.initialState(g, encoded, srcLengths);

  const decoderDropout = parts.decoder.dropout ?? 0;
  const embedded = applyDropout(
    g,
    parts.targetEmbedding.build(g.scope('target').scope('embedding'), tgtIn),
    'dropout.target',
    decoderDropout,
    [T, B, inputDim],
    masks,
  );
  const outputs = decoderSteps(g, parts, decoder, initial, embedded, memory);

  const D = decoder.outputDim;
  let features = applyDropout(g, outputs, 'dropout.decoder', decoderDropout, [T, B, D], masks);
  features = applyDropout(g, features, 'dropout.head', parts.head.dropout ?? 0, [T, B, D], masks);
  const logits = parts.head.project(g.scope('head'), g.reshape(features, [-1, D]), D); // [T*B, vocab]
  const targets = g.reshape(tgtOut, [-1]);
  const smoothing = options.labelSmoothing ?? 0;
  const loss =
    smoothing > 0 ? smoothedCrossEntropy(g, logits, targets, smoothing) : crossEntropyLoss(g, logits, targets, 'mean');
  return { loss, masks };
}

/** Runs the decoder's step over every target position in one Scan; returns the outputs [T, B, D]. */
function decoderSteps(
  g: GraphBuilder,
  parts: Seq2SeqParts,
  decoder: DecoderGraphView,
  initial: Readonly<Record<string, Value>>,
  embedded: Value,
  memory: SourceMemoryView,
): Value {
  const names = parts.decoder.stateNames;
  const dims = stateDims(g, parts, decoder, memory);
  const body = g.subgraph('decoder_steps');
  const { step } = buildStepBody(body, parts, decoder, memory, dims);
  for (const s of names) {
    const next = step.state[s];
    if (!next)
      throw RuntimeErrors.INTERNAL(`the decoder's step returned no state "${s}" (it declares ${names.join(', ')})`);
    body.output(next, body.fresh(`${s}_out`), 'float32', dims[s]);
  }
  body.output(step.output, body.fresh('output_t'), 'float32', ['batch', decoder.outputDim]);
  const results = g.op(
    'Scan',
    [...names.map((s) => initial[s]), embedded],
    { body, num_scan_inputs: 1 },
    names.length + 1,
  );
  return results[names.length];
}

type StateDims = Readonly<Record<string, readonly Dim[]>>;

function buildStepBody(
  body: GraphBuilder,
  parts: Seq2SeqParts,
  decoder: DecoderGraphView,
  memory: SourceMemoryView,
  dims: StateDims,
) {
  const state: Record<string, Value> = {};
  for (const s of parts.decoder.stateNames) state[s] = body.input(body.fresh(`${s}_in`), 'float32', dims[s]);
  const input = body.input(body.fresh('input_t'), 'float32', ['batch', parts.targetEmbedding.outputDim]);
  return { step: decoder.step(body, input, state, memory), state };
}

/**
 * The shape of each decoder state, [rows, batch, size] with sizes as numbers where the step's own
 * graph tells them (its output states have the parameters' sizes). The contract does not state
 * sizes, but the gradient of the loop needs them static: a step that splits a state-sized value
 * (the gradient of a Concat with a state) could not declare its outputs' shapes otherwise. Found by
 * building the step once on symbolic shapes and reading the shapes it produces.
 */
function stateDims(
  g: GraphBuilder,
  parts: Seq2SeqParts,
  decoder: DecoderGraphView,
  memory: SourceMemoryView,
): StateDims {
  const names = parts.decoder.stateNames;
  const symbolic: Record<string, Dim[]> = {};
  for (const s of names) symbolic[s] = [`${s}_rows`, 'batch', `${s}_size`];
  const probe = g.subgraph('decoder_probe');
  const { step } = buildStepBody(probe, parts, decoder, memory, symbolic);
  const outer = Scope.of(g);
  inferGraph(g, outer);
  const inner = inferBody(probe, outer);
  const dims: Record<string, Dim[]> = {};
  for (const s of names) {
    const found = step.state[s] ? inner.get(step.state[s].name)?.dims : undefined;
    dims[s] =
      found?.length === 3
        ? found.map((d, i) => (i === 1 ? 'batch' : typeof d === 'number' ? d : symbolic[s][i]))
        : symbolic[s];
  }
  return dims;
}

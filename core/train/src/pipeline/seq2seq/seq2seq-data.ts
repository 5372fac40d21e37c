import type { TensorData } from '@recur/runtime';
import { planEpoch, type Bucketing } from '../../data/batch-plan.js';
import { readDataset } from '../../data/read-dataset.js';
import type { TextPair } from '../../data/record-types.js';
import type { BadRecordPolicy } from '../../data/bad-records.js';
import { IGNORE_TARGET } from '../../engine/losses.js';
import { TrainErrors } from '../../errors.js';
import type { TrainBatch } from '../objective.js';
import { SEQ2SEQ_DIMS, SEQ2SEQ_INPUTS } from './seq2seq-forward.js';
import type { Seq2SeqParts } from './seq2seq-parts.js';

/**
 * Reads the pairs of a parallel corpus given as files: two files of aligned lines (source, target;
 * Multi30k's `train.de.gz train.en.gz`), or one TSV/JSONL file per entry. `report` receives what a
 * reader skipped.
 */
export async function readPairs(
  files: readonly string[],
  onBadRecord: BadRecordPolicy,
  report: (file: string, counts: Readonly<Record<string, number>>) => void,
): Promise<TextPair[]> {
  if (files.length === 0) return [];
  const groups: (readonly [string] | readonly [string, string])[] =
    files.length === 2 && !looksLikeOneFileCorpus(files) ? [[files[0], files[1]]] : files.map((f) => [f] as const);
  const pairs: TextPair[] = [];
  for (const group of groups) {
    const ds = await readDataset({ task: 'translation', files: group, onBadRecord });
    if (ds.kind !== 'pairs')
      throw TrainErrors.DATA_OPTIONS(`${group.join(' + ')} is not a parallel corpus`, { file: group[0] });
    if (Object.keys(ds.data.skipped).length > 0) report(group.join(' + '), ds.data.skipped);
    pairs.push(...ds.data.records);
  }
  return pairs;
}

/** Two `.tsv`/`.jsonl` files are two corpora of pairs, not the two sides of one. */
function looksLikeOneFileCorpus(files: readonly string[]): boolean {
  return files.every((f) => /\.(tsv|jsonl)(\.gz)?$/i.test(f));
}

/** A tokenised parallel corpus: source ids as inference encodes them, target ids without bos/eos. */
export interface TokenizedPairs {
  readonly sources: readonly Int32Array[];
  readonly targets: readonly Int32Array[];
  /** Target tokens scored per pair (target tokens + eos), for tokens/s and the summary. */
  readonly scored: Int32Array;
  /** Pairs cut to `maxLength` on either side. */
  readonly truncated: number;
}

/**
 * Tokenises pairs: the source with the source tokenizer exactly as the translation task does at
 * run time (its post-processor's special tokens included), the target with the target tokenizer
 * minus any bos/eos it adds itself (training puts bos before and eos after). Sides longer than
 * `maxLength` tokens are cut; a cut target gets no eos (it did not end there).
 */
export function tokenizePairs(pairs: readonly TextPair[], parts: Seq2SeqParts, maxLength: number): TokenizedPairs {
  const sources: Int32Array[] = [];
  const targets: Int32Array[] = [];
  const scored = new Int32Array(pairs.length);
  let truncated = 0;
  pairs.forEach((pair, i) => {
    let source = parts.sourceTokenizer.encode(pair.source);
    if (source.length === 0) source = [parts.sourcePad];
    const target = stripEnds(parts.targetTokenizer.encode(pair.target), parts.bos, parts.eos);
    const cut = source.length > maxLength || target.length + 1 > maxLength;
    if (cut) truncated += 1;
    sources.push(Int32Array.from(source.slice(0, maxLength)));
    // Kept whole when it fits with its eos; otherwise maxLength tokens and no eos.
    const kept = target.length + 1 > maxLength ? target.slice(0, maxLength) : [...target, parts.eos];
    targets.push(Int32Array.from(kept));
    scored[i] = kept.length;
  });
  return { sources, targets, scored, truncated };
}

function stripEnds(ids: number[], bos: number, eos: number): number[] {
  let start = 0;
  let end = ids.length;
  if (end > 0 && ids[0] === bos) start = 1;
  if (end > start && ids[end - 1] === eos) end -= 1;
  return ids.slice(start, end);
}

/** Batching settings of a seq2seq run. */
export interface Seq2SeqBatching {
  readonly batchSize: number;
  readonly seed: number;
  readonly bucketing?: Bucketing;
}

/**
 * The batches of one epoch: pairs of similar length together (bucketed on the longer side), each
 * padded to its own longest source (S) and target (T). Feeds, time-major:
 *   src_ids [S, B], src_lengths [B], tgt_in [T, B] = bos + target[:-1] (padded with the target pad),
 *   tgt_out [T, B] = target (ending in eos), IGNORE_TARGET on padding.
 * A pure function of (data, seed, epoch), as a resumed run needs.
 */
export function seq2seqEpoch(
  data: TokenizedPairs,
  parts: Pick<Seq2SeqParts, 'bos' | 'sourcePad' | 'targetPad'>,
  batching: Seq2SeqBatching,
  epoch: number,
): TrainBatch[] {
  const keys = Int32Array.from(data.sources, (s, i) => Math.max(s.length, data.targets[i].length));
  const plan = planEpoch(
    keys,
    {
      batchSize: batching.batchSize,
      seed: batching.seed,
      ...(batching.bucketing ? { bucketing: batching.bucketing } : {}),
    },
    epoch,
  );
  return plan.map((b) => seq2seqBatch(data, parts, b.indices));
}

/** One padded batch of the pairs at `indices` (also used to evaluate a loss on fixed pairs). */
export function seq2seqBatch(
  data: TokenizedPairs,
  parts: Pick<Seq2SeqParts, 'bos' | 'sourcePad' | 'targetPad'>,
  indices: readonly number[],
): TrainBatch {
  const B = indices.length;
  let S = 1;
  let T = 1;
  for (const i of indices) {
    S = Math.max(S, data.sources[i].length);
    T = Math.max(T, data.targets[i].length);
  }
  const srcIds = new BigInt64Array(S * B).fill(BigInt(parts.sourcePad));
  const srcLengths = new Int32Array(B);
  const tgtIn = new BigInt64Array(T * B).fill(BigInt(parts.targetPad));
  const tgtOut = new BigInt64Array(T * B).fill(BigInt(IGNORE_TARGET));
  let tokens = 0;
  indices.forEach((index, b) => {
    const source = data.sources[index];
    const target = data.targets[index];
    srcLengths[b] = source.length;
    for (let s = 0; s < source.length; s++) srcIds[s * B + b] = BigInt(source[s]);
    for (let t = 0; t < target.length; t++) {
      tgtIn[t * B + b] = BigInt(t === 0 ? parts.bos : target[t - 1]);
      tgtOut[t * B + b] = BigInt(target[t]);
    }
    tokens += target.length;
  });
  const feeds: Record<string, TensorData> = {
    [SEQ2SEQ_INPUTS.sourceIds]: { dtype: 'int64', dims: [S, B], data: srcIds },
    [SEQ2SEQ_INPUTS.sourceLengths]: { dtype: 'int32', dims: [B], data: srcLengths },
    [SEQ2SEQ_INPUTS.targetIn]: { dtype: 'int64', dims: [T, B], data: tgtIn },
    [SEQ2SEQ_INPUTS.targetOut]: { dtype: 'int64', dims: [T, B], data: tgtOut },
  };
  return { feeds, dims: { [SEQ2SEQ_DIMS.source]: S, [SEQ2SEQ_DIMS.target]: T, [SEQ2SEQ_DIMS.batch]: B }, tokens };
}

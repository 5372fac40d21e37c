import type { Session, TensorData } from '@recur/runtime';
import { selectRows } from '../decoding/batch-rows.js';
import type { StepModel, TopCandidates } from './search-contract.js';
import { TRANSLATION_UNITS as U } from './translation-graphs.js';

/** What the `encoder` unit produced for a batch of sentences. */
export interface EncodedSources {
  /** [S, B, M] */
  readonly memory: TensorData;
  /** [S, B, A] */
  readonly keys: TensorData;
  /** [B] int32 */
  readonly lengths: TensorData;
  /** The decoder's initial state per name, [rows, B, size]. */
  readonly state: Readonly<Record<string, TensorData>>;
}

/**
 * The `decoder-step` session as a search's `StepModel`. It keeps the rows' decoder states and
 * reorders them by `parents` before each run (beams that survive, finished rows that leave). The
 * source memory is per sentence, so it is gathered again only when the sentences of the rows
 * change (the first beam step, a sentence finishing), not when beams swap within a sentence.
 */
export class OnnxStepModel implements StepModel {
  private state: Readonly<Record<string, TensorData>>;
  /** Sentence of each current row; initially row i is sentence i. */
  private rowSentence: number[];
  private rowSource: { memory: TensorData; keys: TensorData; lengths: TensorData };
  /**
   * Buffers the rows' memory and keys are gathered into, reused: with beam 5 over 32 sentences each
   * gather is several megabytes and happens whenever a sentence finishes; as fresh copies they kept
   * tens of megabytes of garbage alive between collections.
   */
  private readonly scratch: { memory?: Float32Array; keys?: Float32Array } = {};

  constructor(
    private readonly session: Session,
    readonly vocabSize: number,
    private readonly stateNames: readonly string[],
    private readonly sources: EncodedSources,
  ) {
    this.state = sources.state;
    this.rowSentence = Array.from({ length: sources.lengths.dims[0] }, (_, i) => i);
    this.rowSource = { memory: sources.memory, keys: sources.keys, lengths: sources.lengths };
  }

  async step(tokens: readonly number[], parents: readonly number[]): Promise<Float32Array> {
    return (await this.run(tokens, parents, [U.logProbs], 1))[U.logProbs].data as Float32Array;
  }

  async stepTop(tokens: readonly number[], parents: readonly number[], k: number): Promise<TopCandidates> {
    const top = Math.max(1, Math.min(k, this.vocabSize));
    const out = await this.run(tokens, parents, [U.topLogProbs, U.topIds], top);
    return { k: top, logProbs: out[U.topLogProbs].data as Float32Array, ids: out[U.topIds].data as Int32Array };
  }

  /** One step; `topK` candidates are ranked (the cheapest, 1, when only log_probs are wanted). */
  private async run(
    tokens: readonly number[],
    parents: readonly number[],
    wanted: readonly string[],
    topK: number,
  ): Promise<Record<string, TensorData>> {
    const sentences = parents.map((p) => this.rowSentence[p]);
    if (!sameRows(sentences, this.rowSentence)) {
      const memory = selectRows(this.sources.memory, 1, sentences, this.scratch.memory);
      const keys = selectRows(this.sources.keys, 1, sentences, this.scratch.keys);
      this.rowSource = { memory, keys, lengths: selectRows(this.sources.lengths, 0, sentences) };
      // Rows grow once (one per sentence, then one per beam) and then only shrink: keep the largest buffer.
      if (memory.data.length >= (this.scratch.memory?.length ?? 0)) this.scratch.memory = memory.data as Float32Array;
      if (keys.data.length >= (this.scratch.keys?.length ?? 0)) this.scratch.keys = keys.data as Float32Array;
    }
    const keepRows = isIdentity(parents, this.rowSentence.length);
    const feeds: Record<string, TensorData> = {
      [U.previousIds]: { dtype: 'int64', dims: [tokens.length], data: BigInt64Array.from(tokens, (t) => BigInt(t)) },
      [U.memory]: this.rowSource.memory,
      [U.keys]: this.rowSource.keys,
      [U.sourceLengths]: this.rowSource.lengths,
      [U.topK]: { dtype: 'int64', dims: [1], data: BigInt64Array.of(BigInt(topK)) },
    };
    for (const s of this.stateNames)
      feeds[U.stateIn(s)] = keepRows ? this.state[s] : selectRows(this.state[s], 1, parents);
    const out = await this.session.run(feeds, { outputs: [...wanted, ...this.stateNames.map(U.stateOut)] });
    const next: Record<string, TensorData> = {};
    for (const s of this.stateNames) next[s] = out[U.stateOut(s)]!;
    this.state = next;
    this.rowSentence = sentences;
    return out;
  }
}

function sameRows(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function isIdentity(parents: readonly number[], rows: number): boolean {
  return parents.length === rows && parents.every((p, i) => p === i);
}

import { readFile, rm, truncate } from 'node:fs/promises';
import { writeFileAtomic } from '../write-file-atomic.js';

/**
 * What a `recur run --queue` producer has written so far, kept beside the output
 * (`OUTPUT.queue-state.json`, with the results so far in `OUTPUT.partial`). A producer started
 * again with the same command and input finds it, cuts the partial file to the recorded length
 * (a write that the state does not record yet is dropped) and goes on from the next chunk.
 */
export interface ResumeState {
  /** The run this state belongs to: fingerprint, input, chunk size and options. */
  readonly runId: string;
  readonly chunksWritten: number;
  readonly linesWritten: number;
  readonly bytes: number;
}

export class ResumeFiles {
  readonly partial: string;
  readonly state: string;

  constructor(readonly output: string) {
    this.partial = `${output}.partial`;
    this.state = `${output}.queue-state.json`;
  }

  /** The state of this run, with the partial file cut to its length; undefined to start afresh. */
  async resume(runId: string): Promise<ResumeState | undefined> {
    let state: ResumeState;
    try {
      state = JSON.parse(await readFile(this.state, 'utf8')) as ResumeState;
    } catch {
      return undefined;
    }
    if (state.runId !== runId) return undefined;
    try {
      await truncate(this.partial, state.bytes);
    } catch {
      return undefined;
    }
    return state;
  }

  save(state: ResumeState): Promise<void> {
    return writeFileAtomic(this.state, JSON.stringify(state) + '\n');
  }

  async remove(): Promise<void> {
    await rm(this.state, { force: true });
    await rm(this.partial, { force: true });
  }
}

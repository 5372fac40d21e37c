import type { Pipeline } from '@recur/runtime';
import type { FinishReason, FromWorker, GeneratedPiece, GenerateSettings } from './protocol.js';
import { serializeError } from './serialize-error.js';
import type { TokenCounter } from './token-counter.js';

/**
 * What a generation reports when it ends, if the generation task calls `onEnd` (an optional
 * call-time option): the library knows the exact token counts and why it stopped.
 */
interface GenerationEnd {
  readonly reason?: string;
  readonly promptTokens?: number;
  readonly generatedTokens?: number;
}

/**
 * Runs the worker's generations: each one is `pipeline.stream(prompt)`, whose pieces are posted to
 * the main thread as they come. Concurrent generations meet in the task's continuously batched
 * loop; cancelling one aborts its signal, which the loop honours before its next step.
 */
export class GenerationJobs {
  private readonly jobs = new Map<number, AbortController>();
  /** Pieces made in this turn of the event loop, posted together by `flush`. */
  private pending: GeneratedPiece[] = [];

  constructor(
    private readonly pipeline: Pipeline,
    /** Counts tokens when the task does not report them (`onEnd`); made on first use. */
    private readonly counter: () => Promise<TokenCounter | undefined>,
    private readonly post: (m: FromWorker) => void,
  ) {}

  get size(): number {
    return this.jobs.size;
  }

  start(id: number, prompt: string, settings: GenerateSettings): void {
    const controller = new AbortController();
    this.jobs.set(id, controller);
    void this.generate(id, prompt, settings, controller.signal).finally(() => this.jobs.delete(id));
  }

  cancel(id: number): boolean {
    const job = this.jobs.get(id);
    job?.abort();
    return job !== undefined;
  }

  cancelAll(): void {
    for (const job of this.jobs.values()) job.abort();
  }

  private async generate(id: number, prompt: string, settings: GenerateSettings, signal: AbortSignal): Promise<void> {
    let end: GenerationEnd | undefined;
    let text = '';
    let pieces = 0;
    try {
      const options = {
        ...settings,
        // The server's prompt limit is a hard bound: refuse, never truncate silently.
        truncation: 'off',
        returnFullText: false,
        signal,
        onEnd: (info: GenerationEnd) => {
          end = info;
        },
      };
      for await (const piece of this.pipeline.stream(prompt, options)) {
        text += piece;
        pieces += 1;
        this.queuePiece({ id, text: piece, tokens: 1 });
      }
      const counter = end ? undefined : await this.counter();
      const completionTokens = end?.generatedTokens ?? Math.max(pieces, counter?.count(text) ?? 0);
      const promptTokens = end?.promptTokens ?? counter?.count(prompt) ?? 0;
      const limit = settings.maxNewTokens;
      const finishReason: FinishReason =
        end?.reason !== undefined
          ? end.reason === 'length'
            ? 'length'
            : 'stop'
          : limit !== undefined && completionTokens >= limit
            ? 'length'
            : 'stop';
      this.flush();
      this.post({ type: 'generated', id, finishReason, promptTokens, completionTokens });
    } catch (err) {
      this.flush();
      this.post({ type: 'failed', id, error: serializeError(err) });
    }
  }

  /**
   * One step of the continuous batch makes a piece for many generations at once; they cross to the
   * main thread as one message, which keeps the main thread's cost per token small.
   */
  private queuePiece(piece: GeneratedPiece): void {
    if (this.pending.length === 0)
      setImmediate(() => {
        this.flush();
      });
    this.pending.push(piece);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.post({ type: 'pieces', items });
  }
}

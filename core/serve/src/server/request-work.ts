import { setMaxListeners } from 'node:events';
import type { FastifyReply } from 'fastify';
import { RecurError, RuntimeErrors } from '@recur/runtime';
import { ServeErrors as E } from '../errors.js';
import type { CancelReason, ServeMetrics } from '../metrics/serve-metrics.js';

/**
 * The cancellation of one request's work: its signal aborts when the client disconnects, when
 * `timeouts.requestMs` runs out, or when a shutdown's grace period ends. Workers receive the cancel
 * and stop before their next step.
 */
export class RequestWork {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onClose: () => void;
  private readonly onShutdown: () => void;
  /** Why the work was cancelled, once it was. */
  reason: CancelReason | undefined;

  constructor(
    private readonly reply: FastifyReply,
    requestMs: number,
    private readonly shutdown: AbortSignal,
    private readonly metrics: ServeMetrics,
    private readonly pipeline: string,
  ) {
    this.onClose = () => {
      if (!reply.raw.writableFinished) this.cancel('disconnect');
    };
    this.onShutdown = () => {
      this.cancel('shutdown');
    };
    // Each choice of an `n` request listens to this signal.
    setMaxListeners(0, this.controller.signal);
    reply.raw.on('close', this.onClose);
    shutdown.addEventListener('abort', this.onShutdown, { once: true });
    if (shutdown.aborted) this.cancel('shutdown');
    this.timer = setTimeout(() => {
      this.cancel('timeout');
    }, requestMs);
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  cancel(reason: CancelReason): void {
    if (this.controller.signal.aborted) return;
    this.reason = reason;
    this.metrics.cancelled.inc({ pipeline: this.pipeline, reason });
    this.controller.abort(this.error());
  }

  /** Stops the work without a cancellation reason (one part of the request failed on its own). */
  stop(): void {
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  /** The error to answer with: the cancellation's own error when the work was cancelled. */
  translate(err: unknown): unknown {
    if (this.reason === undefined) return err;
    if (RecurError.is(err) && !RuntimeErrors.ABORTED.is(err) && !E.CANCELLED.is(err)) return err;
    return this.error();
  }

  /** Stops listening; call when the answer is complete. */
  done(): void {
    clearTimeout(this.timer);
    this.reply.raw.off('close', this.onClose);
    this.shutdown.removeEventListener('abort', this.onShutdown);
  }

  private error(): RecurError {
    switch (this.reason) {
      case 'timeout':
        return E.TIMEOUT('the request did not finish within timeouts.requestMs and was cancelled', {});
      case 'shutdown':
        return E.SHUTTING_DOWN(
          'the server is shutting down; the request was cancelled at the end of the grace period',
          {},
        );
      default:
        return E.CANCELLED('the client closed the connection', {});
    }
  }
}

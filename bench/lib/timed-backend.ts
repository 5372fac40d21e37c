import type { Backend, ComputeUnit, Session, SessionOptions, TensorData } from '@recur/runtime';

/**
 * A Backend wrapper that adds up the wall time spent inside `session.run`, so a benchmark can
 * report the share of a call spent elsewhere (tokenising, batching, search: Recur's overhead).
 */
export class TimedBackend implements Backend {
  /** Seconds spent in session.run since the last reset. */
  runSeconds = 0;
  runs = 0;

  constructor(private readonly inner: Backend) {}

  reset(): void {
    this.runSeconds = 0;
    this.runs = 0;
  }

  async session(unit: ComputeUnit, options?: SessionOptions): Promise<Session> {
    const session = await this.inner.session(unit, options);
    const timed = Object.create(session) as Session & { run: Session['run'] };
    timed.run = async (feeds: Readonly<Record<string, TensorData>>, runOptions?: Parameters<Session['run']>[1]) => {
      const start = process.hrtime.bigint();
      try {
        return await session.run(feeds, runOptions);
      } finally {
        this.runSeconds += Number(process.hrtime.bigint() - start) / 1e9;
        this.runs += 1;
      }
    };
    return timed;
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

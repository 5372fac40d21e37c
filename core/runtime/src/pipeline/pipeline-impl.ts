import type { Container } from 'inversify';
import type { Backend } from '../backend/backend.js';
import { E } from '../errors/runtime-errors.js';
import type { ComputeUnit, RunOptions, TaskRunner } from '../plugins/task-contract.js';
import type { Pipeline } from './pipeline.js';
import { CallCoalescer } from './call-coalescer.js';
import { assertFiniteResult } from './finite-result.js';
import type { PipelineContext } from './pipeline-context.js';
import type { TensorData } from '../graph/tensor-data.js';

export class PipelineImpl implements Pipeline {
  private disposed = false;
  private readonly coalescer: CallCoalescer | undefined;

  constructor(
    readonly name: string,
    readonly task: string,
    readonly spec: Readonly<Record<string, unknown>>,
    private readonly runner: TaskRunner,
    private readonly container: Container,
    private readonly ownedBackend: Backend | undefined,
    private readonly context: PipelineContext,
    /** Checks a call's options against the task's `callOptions` schema (throws a coded error). */
    private readonly checkOptions: (options: unknown) => void = () => {},
  ) {
    const rt = (spec['runtime'] ?? {}) as Record<string, unknown>;
    this.coalescer =
      runner.coalesce === false
        ? undefined
        : new CallCoalescer((inputs, options) => runner.run(inputs, options), {
            maxBatch: typeof rt['maxBatch'] === 'number' ? rt['maxBatch'] : 64,
            maxWaitMs: typeof rt['maxWaitMs'] === 'number' ? rt['maxWaitMs'] : 2,
          });
  }

  /** Weights created by `load(..., { initialize })`, by parameter name (empty otherwise). */
  get initializedWeights(): ReadonlyMap<string, TensorData> {
    return this.context.generated;
  }

  /** Where relative paths of the spec resolve (its folder). */
  get specDir(): string {
    return this.context.specDir;
  }

  get units(): readonly ComputeUnit[] {
    return this.runner.units;
  }

  async run(input: unknown, options: RunOptions = {}): Promise<unknown> {
    this.assertLive();
    this.checkOptions(options);
    if (options.signal?.aborted) throw E.ABORTED('the call was aborted before it started', {});
    const batched = Array.isArray(input);
    const inputs = batched ? (input as unknown[]) : [input];
    if (inputs.length === 0) return [];
    const results = this.coalescer
      ? await this.coalescer.submit(inputs, options)
      : await this.runner.run(inputs, options);
    // Checked per call: with coalescing, only the calls whose own results are broken fail.
    assertFiniteResult(results, this.name);
    if (!batched) return results[0];
    const format = this.runner.formatBatched?.bind(this.runner);
    return format ? results.map((r) => format(r, options)) : results;
  }

  async *stream(input: unknown, options: RunOptions = {}): AsyncIterable<string> {
    this.assertLive();
    if (!this.runner.stream) {
      throw E.TASK_UNSUPPORTED(`task ${this.task} does not stream; use run()`, {
        pointer: '/task',
        expected: 'a generation task',
      });
    }
    this.checkOptions(options);
    yield* this.runner.stream(input, options);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.runner.dispose();
    this.container.unbindAll();
    await this.ownedBackend?.dispose();
  }

  private assertLive(): void {
    if (this.disposed) throw E.DISPOSED(`pipeline "${this.name}" was disposed; load it again`, {});
  }
}

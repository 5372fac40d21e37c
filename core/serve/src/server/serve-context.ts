import { setMaxListeners } from 'node:events';
import { nearestNames } from '@recur/runtime/internal';
import type { ServeConfig } from '../config/serve-config.js';
import { ServeErrors as E } from '../errors.js';
import type { ServeMetrics } from '../metrics/serve-metrics.js';
import type { ServedPipeline } from '../pool/served-pipeline.js';

/** What the routes share: configuration, pipelines, metrics and the shutdown state. */
export class ServeContext {
  /** Readiness is off (a drain began) but requests are still taken, until `startDraining`. */
  private unready = false;
  private draining = false;
  /** Aborts when a shutdown's grace period ends: in-flight work is then cancelled. */
  private readonly shutdownController = new AbortController();

  constructor(
    readonly config: ServeConfig,
    readonly pipelines: ReadonlyMap<string, ServedPipeline>,
    readonly metrics: ServeMetrics,
  ) {
    metrics.ready.collect({}, () => (this.ready ? 1 : 0));
    // Every in-flight request listens to this signal: as many listeners as requests, by design.
    setMaxListeners(0, this.shutdownController.signal);
  }

  get shutdownSignal(): AbortSignal {
    return this.shutdownController.signal;
  }

  /** New requests are refused (the last phase of a shutdown). */
  get isDraining(): boolean {
    return this.draining;
  }

  /** A drain began: readiness says 503 and answers carry `connection: close`, but requests are served. */
  get isLeaving(): boolean {
    return this.unready || this.draining;
  }

  /** Every pipeline has a running worker and the server takes work. */
  get ready(): boolean {
    return !this.isLeaving && [...this.pipelines.values()].every((p) => p.ready);
  }

  /** First phase of a drain: balancers see readiness fail while requests are still served. */
  leaveBalancer(): void {
    this.unready = true;
  }

  startDraining(): void {
    this.draining = true;
  }

  cancelInFlight(): void {
    this.shutdownController.abort();
  }

  /** The pipeline of a route name, or a coded 404 with the nearest names. */
  pipeline(name: string): ServedPipeline {
    const p = this.pipelines.get(name);
    if (p) return p;
    const known = [...this.pipelines.keys()];
    const near = nearestNames(name, known);
    throw E.PIPELINE_NOT_FOUND(
      `no pipeline is named "${name}"${near.length ? `; did you mean "${near[0]}"?` : ''} Served: ${known.join(', ')}`,
      { suggestions: near, param: 'name' },
    );
  }

  /** The generation pipeline an OpenAI `model` names. */
  model(name: string): ServedPipeline {
    const generation = [...this.pipelines.values()].filter((p) => p.info.generates);
    const p = this.pipelines.get(name);
    if (p && !p.info.generates) {
      throw E.NOT_GENERATION(
        `"${name}" is a ${p.info.task} pipeline; OpenAI routes serve text generation. Call POST /v1/pipelines/${name} instead`,
        { param: 'model' },
      );
    }
    if (p) return p;
    const near = nearestNames(
      name,
      generation.map((g) => g.name),
    );
    throw E.MODEL_NOT_FOUND(
      `no model is named "${name}"${near.length ? `; did you mean "${near[0]}"?` : ''} Models: ${generation.map((g) => g.name).join(', ') || '(none)'}`,
      { suggestions: near, param: 'model' },
    );
  }
}

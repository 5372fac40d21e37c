import type { FastifyInstance } from 'fastify';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { Logger } from '@recur/runtime';
import { isLoopback, resolveServeConfig, type ServeConfig, type ServeOptions } from '../config/serve-config.js';
import { ServeErrors as E } from '../errors.js';
import { ServeMetrics } from '../metrics/serve-metrics.js';
import { ServedPipeline } from '../pool/served-pipeline.js';
import { createApp } from './create-app.js';
import { ServeContext } from './serve-context.js';

/** A running server. */
export interface RecurServer {
  /** `http://host:port` of the bound socket (the real port when 0 was asked). */
  readonly url: string;
  readonly config: ServeConfig;
  /** The Fastify instance, for `inject()` in tests or extra routes before traffic arrives. */
  readonly app: FastifyInstance;
  readonly metrics: ServeMetrics;
  /**
   * Graceful shutdown: stops accepting, lets in-flight requests finish for up to
   * `timeouts.shutdownGraceMs`, cancels what remains, then stops the workers. Safe to call twice.
   */
  close(): Promise<void>;
  /**
   * Balancer-friendly shutdown, what `recur serve` does on SIGTERM: `/readyz` turns 503 at once
   * while requests are still served for `timeouts.drainDelayMs` (the balancer's health checks see
   * the replica leave and stop routing to it), then `close()`. Calling `close()` during the delay
   * ends the delay. Safe to call twice.
   */
  drain(): Promise<void>;
}

/** Extra start-up options that are not configuration. */
export interface StartOptions {
  /** Where pino writes JSON log lines. @defaultValue stdout */
  readonly logStream?: DestinationStream;
}

/**
 * Starts `recur serve`: loads every pipeline in its worker threads, then listens. Fails (and leaves
 * nothing running) when a pipeline does not load, two pipelines share a name, or a non-loopback
 * address is asked without API keys.
 *
 * @example
 * const server = await startServer({
 *   pipelines: [{ spec: '/srv/pipelines/generation.json' }],
 *   registry: { module: import.meta.resolve('@recur/cli'), export: 'createRegistry' },
 *   port: 8080,
 * });
 * // ... later
 * await server.close();
 */
export async function startServer(options: ServeOptions, start: StartOptions = {}): Promise<RecurServer> {
  const config = resolveServeConfig(options);
  if (!isLoopback(config.host) && config.apiKeys.length === 0) {
    throw E.KEYS_REQUIRED(
      `binding ${config.host} makes the server reachable from other machines, so it needs API keys: set auth.apiKeys in the configuration or RECUR_SERVE_API_KEYS`,
      { expected: 'API keys, or host 127.0.0.1' },
    );
  }
  if (config.pipelines.length === 0)
    throw E.CONFIG_INVALID('no pipeline to serve: give spec files or a "pipelines" list', { pointer: '/pipelines' });
  const log = pino(
    { level: config.logLevel, base: { service: 'recur-serve' } },
    start.logStream ?? pino.destination({ dest: 1, sync: false }),
  );
  const metrics = new ServeMetrics();
  const pipelines = await loadPipelines(config, metrics, recurLogger(log));
  let app: FastifyInstance | undefined;
  try {
    const ctx = new ServeContext(config, pipelines, metrics);
    app = await createApp(ctx, log);
    await app.listen({ host: config.host, port: config.port }).catch((err: unknown) => {
      throw listenError(err, config.host, config.port);
    });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    let closing: Promise<void> | undefined;
    let draining: Promise<void> | undefined;
    let endDelay: (() => void) | undefined;
    const listening = app;
    const close = () => {
      endDelay?.();
      return (closing ??= shutdown(ctx, listening, log));
    };
    const drain = async () => {
      if (closing) return closing;
      ctx.leaveBalancer();
      log.info(
        { drainDelayMs: config.timeouts.drainDelayMs },
        'draining: /readyz answers 503; requests are still served until the delay ends',
      );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, config.timeouts.drainDelayMs);
        endDelay = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      await close();
    };
    return {
      url: `http://${host}:${port}`,
      config,
      app: listening,
      metrics,
      close,
      drain: () => (draining ??= drain()),
    };
  } catch (err) {
    // A port in use, for example: leave nothing running.
    await app?.close();
    await Promise.all([...pipelines.values()].map((p) => p.close()));
    metrics.close();
    throw err;
  }
}

/** A failed listen as a user error naming the address and what to do (it is never a fault in Recur). */
function listenError(err: unknown, host: string, port: number): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (code === 'EADDRINUSE') {
    return E.PORT_IN_USE(
      `port ${port} on ${host} is already in use by another process (another recur serve?): stop it, or choose another port with --port (or "port" in the configuration; 0 picks a free port)`,
      { port, host, expected: 'a free port' },
      { cause: err },
    );
  }
  if (
    code === 'EACCES' ||
    code === 'EADDRNOTAVAIL' ||
    code === 'EPERM' ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN'
  ) {
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied (ports below 1024 need privileges; use a port from 1024 up)'
        : `this machine has no address ${host} (${code})`;
    return E.LISTEN_FAILED(`cannot listen on ${where}: ${why}`, { port, host }, { cause: err });
  }
  return err;
}

async function loadPipelines(
  config: ServeConfig,
  metrics: ServeMetrics,
  logger: Logger,
): Promise<Map<string, ServedPipeline>> {
  const init = (spec: string) => ({
    specPath: spec,
    registry: config.registry,
    allowPlugins: config.allowPlugins,
    allowRoots: config.allowRoots,
    overrides: config.overrides,
    nice: config.workerNice,
  });
  const started = await Promise.allSettled(
    config.pipelines.map((p) => ServedPipeline.start(p, init(p.spec), config.limits, metrics, logger)),
  );
  const loaded = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.findIndex((r) => r.status === 'rejected');
  const byName = new Map<string, ServedPipeline>();
  let duplicate: string | undefined;
  for (const p of loaded) {
    if (byName.has(p.name)) duplicate ??= p.name;
    byName.set(p.name, p);
  }
  if (failed >= 0 || duplicate !== undefined) {
    await Promise.all(loaded.map((p) => p.close()));
    if (failed >= 0) {
      const reason = (started[failed] as PromiseRejectedResult).reason as Error & { code?: string };
      throw E.LOAD_FAILED(
        `pipeline ${config.pipelines[failed].spec} did not load: ${reason.code ? `${reason.code} ` : ''}${reason.message}`,
        { file: config.pipelines[failed].spec, cause: reason.code },
        { cause: reason },
      );
    }
    throw E.DUPLICATE_NAME(
      `two served pipelines are named "${duplicate}"; give one another "name" in the configuration's pipelines list`,
      { pointer: '/pipelines' },
    );
  }
  return byName;
}

async function shutdown(ctx: ServeContext, app: FastifyInstance, log: PinoLogger): Promise<void> {
  const grace = ctx.config.timeouts.shutdownGraceMs;
  log.info({ graceMs: grace }, 'shutting down: no new requests; in-flight requests may finish');
  ctx.startDraining();
  const timer = setTimeout(() => {
    log.warn('grace period over: cancelling in-flight work');
    ctx.cancelInFlight();
  }, grace);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
  await Promise.all([...ctx.pipelines.values()].map((p) => p.close()));
  ctx.metrics.close();
  log.info('stopped');
  log.flush();
}

/** The runtime's Logger surface on top of pino (worker messages, pipeline warnings). */
function recurLogger(log: PinoLogger): Logger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, data?: Record<string, unknown>) => {
    log[level](data ?? {}, msg);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

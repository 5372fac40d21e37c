import type { ChatTemplate } from '../chat/chat-template.js';
import { DEFAULT_CHAT_TEMPLATE } from '../chat/chat-template.js';
import { SERVE_DEFAULTS } from './serve-defaults.js';

/**
 * Where the worker threads get their plugin registry. Workers cannot receive objects with code, so
 * they import a module and call one of its exports, which returns a `PluginRegistry`. The CLI passes
 * its own built-in registry module; an embedding application passes its own.
 *
 * @example
 * { module: new URL('./my-registry.js', import.meta.url).href, export: 'createRegistry' }
 */
export interface RegistrySource {
  /** A `file:` URL or a package name resolvable from @recur/serve. */
  readonly module: string;
  /** The named export to call. @defaultValue `"createRegistry"` */
  readonly export?: string;
}

/** One served pipeline. */
export interface ServedPipelineConfig {
  /** Absolute spec file path. */
  readonly spec: string;
  /** Route and model name. @defaultValue the spec's `name` */
  readonly name?: string;
  /** Worker threads running this pipeline. @defaultValue `SERVE_DEFAULTS.pipeline.replicas` */
  readonly replicas?: number;
  /** Chat template for this pipeline. @defaultValue the server's `chatTemplate` */
  readonly chatTemplate?: Partial<ChatTemplate>;
}

export interface ServeLimits {
  /** Largest request body in bytes (413 above). @defaultValue `SERVE_DEFAULTS.limits.bodyBytes` */
  readonly bodyBytes: number;
  /** Most prompt tokens per input (422 above). @defaultValue `SERVE_DEFAULTS.limits.maxInputTokens` */
  readonly maxInputTokens: number;
  /** Largest `max_tokens` a request may ask for (422 above). @defaultValue `SERVE_DEFAULTS.limits.maxTokens` */
  readonly maxTokens: number;
  /** Most inputs per request, and most prompts x `n` (422 above). @defaultValue `SERVE_DEFAULTS.limits.maxInputs` */
  readonly maxInputs: number;
  /** Requests per replica running in its worker at once. @defaultValue `SERVE_DEFAULTS.limits.maxConcurrent` */
  readonly maxConcurrent: number;
  /** Requests per pipeline waiting for a place; 429 beyond. @defaultValue `SERVE_DEFAULTS.limits.maxQueue` */
  readonly maxQueue: number;
}

export interface ServeTimeouts {
  /** Longest time a request's work may take before it is cancelled (504). @defaultValue `SERVE_DEFAULTS.timeouts.requestMs` */
  readonly requestMs: number;
  /** Longest time to receive a request's headers and body. @defaultValue `SERVE_DEFAULTS.timeouts.receiveMs` */
  readonly receiveMs: number;
  /** Keep-alive idle timeout. @defaultValue `SERVE_DEFAULTS.timeouts.idleMs` */
  readonly idleMs: number;
  /** On shutdown, how long in-flight work may finish before it is cancelled. @defaultValue `SERVE_DEFAULTS.timeouts.shutdownGraceMs` */
  readonly shutdownGraceMs: number;
  /**
   * On SIGTERM (`drain()`), how long the server keeps taking requests after readiness turned 503,
   * so that a balancer stops routing to it before it stops accepting.
   * @defaultValue `SERVE_DEFAULTS.timeouts.drainDelayMs`
   */
  readonly drainDelayMs: number;
}

export interface CorsConfig {
  readonly origins: '*' | readonly string[];
  /** @defaultValue `SERVE_DEFAULTS.cors.credentials` */
  readonly credentials: boolean;
  /** @defaultValue `SERVE_DEFAULTS.cors.maxAgeSeconds` */
  readonly maxAgeSeconds: number;
}

/** Everything `startServer` needs, with every default (`SERVE_DEFAULTS`) filled in by `resolveServeConfig`. */
export interface ServeConfig {
  /** @defaultValue `SERVE_DEFAULTS.host` */
  readonly host: string;
  /** @defaultValue `SERVE_DEFAULTS.port` */
  readonly port: number;
  readonly pipelines: readonly ServedPipelineConfig[];
  readonly registry: RegistrySource;
  readonly apiKeys: readonly string[];
  readonly cors: CorsConfig | undefined;
  readonly limits: ServeLimits;
  readonly timeouts: ServeTimeouts;
  /** @defaultValue `DEFAULT_CHAT_TEMPLATE` */
  readonly chatTemplate: ChatTemplate;
  /** @defaultValue `SERVE_DEFAULTS.logLevel` */
  readonly logLevel: string;
  /**
   * Serve the playground page at `/`, its assets under `/playground/`, and the routes it reads
   * (`/v1/pipelines/:name/files/*`, `/card`, `/curves`). @defaultValue true
   */
  readonly playground: boolean;
  /**
   * Nice value of the worker threads (Linux; 0 leaves them alone). The main thread only moves
   * requests and tokens, so it should never wait for a core behind the models.
   * @defaultValue `SERVE_DEFAULTS.workerNice`
   */
  readonly workerNice: number;
  /** Plugin modules specs may import, as `load(..., { allowPlugins })`. */
  readonly allowPlugins: readonly string[];
  /** Extra folders spec file references may point into (absolute). */
  readonly allowRoots: readonly string[];
  /** `--set` overrides applied to every spec. */
  readonly overrides: readonly string[];
}

/** What a caller may leave out of a `ServeConfig`. */
export type ServeOptions = Partial<
  Omit<ServeConfig, 'limits' | 'timeouts' | 'chatTemplate' | 'registry' | 'pipelines' | 'cors'>
> & {
  readonly pipelines: readonly ServedPipelineConfig[];
  readonly registry: RegistrySource;
  readonly limits?: Partial<ServeLimits>;
  readonly timeouts?: Partial<ServeTimeouts>;
  readonly chatTemplate?: Partial<ChatTemplate>;
  readonly cors?: Partial<CorsConfig> & { readonly origins: CorsConfig['origins'] };
};

export const DEFAULT_LIMITS: ServeLimits = SERVE_DEFAULTS.limits;
export const DEFAULT_TIMEOUTS: ServeTimeouts = SERVE_DEFAULTS.timeouts;

/** Fills every default; the env variable RECUR_SERVE_API_KEYS adds comma-separated keys. */
export function resolveServeConfig(options: ServeOptions, env: NodeJS.ProcessEnv = process.env): ServeConfig {
  const envKeys = (env['RECUR_SERVE_API_KEYS'] ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
  return {
    host: options.host ?? SERVE_DEFAULTS.host,
    port: options.port ?? SERVE_DEFAULTS.port,
    pipelines: options.pipelines,
    registry: options.registry,
    apiKeys: [...new Set([...(options.apiKeys ?? []), ...envKeys])],
    cors: options.cors ? { ...SERVE_DEFAULTS.cors, ...options.cors } : undefined,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    chatTemplate: { ...DEFAULT_CHAT_TEMPLATE, ...options.chatTemplate },
    logLevel: options.logLevel ?? SERVE_DEFAULTS.logLevel,
    playground: options.playground ?? SERVE_DEFAULTS.playground,
    workerNice: options.workerNice ?? SERVE_DEFAULTS.workerNice,
    allowPlugins: options.allowPlugins ?? [],
    allowRoots: options.allowRoots ?? [],
    overrides: options.overrides ?? [],
  };
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\./.test(h);
}

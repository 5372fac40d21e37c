/**
 * @recur/serve: the HTTP server behind `recur serve`. Pipelines run in worker threads; the server
 * has a route per pipeline, OpenAI-compatible completions with SSE streaming, health, readiness and
 * Prometheus metrics, limits, API keys, CORS and graceful shutdown.
 */
export { startServer, type RecurServer, type StartOptions } from './server/start-server.js';
export { ServeErrors } from './errors.js';
export {
  resolveServeConfig,
  isLoopback,
  DEFAULT_LIMITS,
  DEFAULT_TIMEOUTS,
  type ServeConfig,
  type ServeOptions,
  type ServeLimits,
  type ServeTimeouts,
  type CorsConfig,
  type RegistrySource,
  type ServedPipelineConfig,
} from './config/serve-config.js';
export { loadConfigFile, parseConfig, type ConfigFileOptions } from './config/load-config-file.js';
export { SERVE_CONFIG_SCHEMA } from './config/config-schema.js';
export { SERVE_DEFAULTS } from './config/serve-defaults.js';
export {
  renderChat,
  messageText,
  DEFAULT_CHAT_TEMPLATE,
  type ChatTemplate,
  type ChatMessage,
} from './chat/chat-template.js';
export { PipelineWorker, type GenerationSummary, type GenerateHandlers } from './worker/pipeline-worker.js';
export type {
  WorkerInit,
  GenerateSettings,
  PipelineInfo,
  PipelineFiles,
  ServedFile,
  FinishReason,
} from './worker/protocol.js';
export { MetricRegistry, Counter, Gauge, Histogram } from './metrics/metric-registry.js';

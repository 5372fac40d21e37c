/**
 * The one place the server's defaults are stated. `resolveServeConfig` fills what a caller leaves
 * out from it; the configuration schema's `default` keywords and the "Default ..." ending of its
 * descriptions are made from it; the TSDoc of the config types points here. A test checks that
 * the schema, the chatbot-backend guide and `resolveServeConfig` agree with it. A new option adds
 * one entry here and one property to the schema (with `defaulted(...)`).
 */
export const SERVE_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 8080,
  logLevel: 'info',
  playground: true,
  workerNice: 5,
  pipeline: Object.freeze({ replicas: 1 }),
  cors: Object.freeze({ credentials: false, maxAgeSeconds: 600 }),
  limits: Object.freeze({
    bodyBytes: 1024 * 1024,
    maxInputTokens: 2048,
    maxTokens: 1024,
    maxInputs: 256,
    maxConcurrent: 64,
    maxQueue: 256,
  }),
  timeouts: Object.freeze({
    requestMs: 120_000,
    receiveMs: 30_000,
    idleMs: 5_000,
    shutdownGraceMs: 10_000,
    drainDelayMs: 5_000,
  }),
} as const);

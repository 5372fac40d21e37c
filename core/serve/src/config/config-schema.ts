import { SERVE_DEFAULTS } from './serve-defaults.js';

/**
 * JSON Schema of the `recur serve --config FILE` document (draft-07, validated with ajv). Every
 * property has a description: docs/guides/chatbot-backend.md lists them. Defaults are not written
 * here: `defaulted` takes them from SERVE_DEFAULTS into `default` and the description's last sentence.
 */
const chatTemplateSchema = {
  type: 'object',
  description: 'How chat messages become one prompt (patterns with {content} and {name}; no code is evaluated).',
  additionalProperties: false,
  properties: {
    system: { type: 'string', maxLength: 10000, description: 'Pattern for system and developer messages.' },
    user: { type: 'string', maxLength: 10000, description: 'Pattern for user messages.' },
    assistant: { type: 'string', maxLength: 10000, description: 'Pattern for earlier assistant messages.' },
    generationPrompt: {
      type: 'string',
      maxLength: 10000,
      description: 'Text appended after the last message, where the answer starts.',
    },
    stop: {
      type: 'array',
      maxItems: 4,
      items: { type: 'string', minLength: 1, maxLength: 100 },
      description: 'Stop sequences added to every chat request.',
    },
  },
} as const;

/** `schema` with its `default` and a description that ends by saying it (`Default 8080.`). */
function defaulted<S extends { readonly description: string }, V extends string | number | boolean>(
  schema: S,
  value: V,
): Omit<S, 'description'> & { readonly description: string; readonly default: V } {
  return { ...schema, description: `${schema.description} Default ${String(value)}.`, default: value };
}

const positiveInt = (description: string, value: number, max = 2 ** 31 - 1) =>
  defaulted({ type: 'integer', minimum: 1, maximum: max, description } as const, value);

export const SERVE_CONFIG_SCHEMA = {
  $id: 'https://recur.dev/schema/serve-config.schema.json',
  title: 'recur serve configuration',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'Editor hint; ignored.' },
    host: defaulted(
      { type: 'string', minLength: 1, description: 'Address to bind. A non-loopback address requires API keys.' },
      SERVE_DEFAULTS.host,
    ),
    port: defaulted(
      { type: 'integer', minimum: 0, maximum: 65535, description: 'TCP port; 0 picks a free one.' },
      SERVE_DEFAULTS.port,
    ),
    pipelines: {
      type: 'array',
      description: 'Pipelines to serve, besides the spec files given on the command line.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['spec'],
        properties: {
          spec: { type: 'string', minLength: 1, description: 'Spec file path, relative to this configuration file.' },
          name: {
            type: 'string',
            pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$',
            description: "Name in routes and as OpenAI `model`. Default: the spec's name.",
          },
          replicas: positiveInt(
            'Worker threads running this pipeline (each loads its own sessions).',
            SERVE_DEFAULTS.pipeline.replicas,
            64,
          ),
          chatTemplate: chatTemplateSchema,
        },
      },
    },
    auth: {
      type: 'object',
      additionalProperties: false,
      description: 'API keys. Clients send `Authorization: Bearer <key>`; /healthz and /readyz stay open.',
      properties: {
        apiKeys: {
          type: 'array',
          maxItems: 1000,
          items: { type: 'string', minLength: 16, maxLength: 512 },
          description: 'Accepted keys (at least 16 characters). RECUR_SERVE_API_KEYS adds comma-separated keys.',
        },
      },
    },
    cors: {
      type: 'object',
      additionalProperties: false,
      description: 'Cross-origin access for browser chat frontends. Off unless configured.',
      properties: {
        origins: {
          oneOf: [
            { const: '*', description: 'Any origin (not allowed together with credentials).' },
            { type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 100 },
          ],
          description: 'Allowed origins (`https://chat.example.com`), or "*".',
        },
        credentials: defaulted(
          { type: 'boolean', description: 'Send Access-Control-Allow-Credentials.' },
          SERVE_DEFAULTS.cors.credentials,
        ),
        maxAgeSeconds: defaulted(
          {
            type: 'integer',
            minimum: 0,
            maximum: 86400,
            description: 'How long browsers may cache a preflight answer.',
          },
          SERVE_DEFAULTS.cors.maxAgeSeconds,
        ),
      },
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      description: 'Request and queue bounds.',
      properties: {
        bodyBytes: positiveInt('Largest request body in bytes (413 above).', SERVE_DEFAULTS.limits.bodyBytes),
        maxInputTokens: positiveInt('Most prompt tokens per input (422 above).', SERVE_DEFAULTS.limits.maxInputTokens),
        maxTokens: positiveInt(
          'Largest `max_tokens` a request may ask for (422 above).',
          SERVE_DEFAULTS.limits.maxTokens,
        ),
        maxInputs: positiveInt(
          'Most inputs per request, and most prompts x `n` choices (422 above).',
          SERVE_DEFAULTS.limits.maxInputs,
        ),
        maxConcurrent: positiveInt(
          'Requests per pipeline replica running at once in its worker (a batch, or the streams of a continuous batch).',
          SERVE_DEFAULTS.limits.maxConcurrent,
        ),
        maxQueue: defaulted(
          {
            type: 'integer',
            minimum: 0,
            maximum: 100000,
            description: 'Requests per pipeline waiting for a place; beyond it requests get 429 with retry-after.',
          },
          SERVE_DEFAULTS.limits.maxQueue,
        ),
      },
    },
    timeouts: {
      type: 'object',
      additionalProperties: false,
      description: 'Time bounds, in milliseconds.',
      properties: {
        requestMs: positiveInt(
          "Longest time a request's work (queue wait and compute, whole stream) may take; then it is cancelled (504).",
          SERVE_DEFAULTS.timeouts.requestMs,
        ),
        receiveMs: positiveInt(
          "Longest time to receive a request's headers, and then its body; a slower client gets 408 RECUR_E_SERVE_RECEIVE_TIMEOUT and is disconnected.",
          SERVE_DEFAULTS.timeouts.receiveMs,
        ),
        idleMs: positiveInt('How long an idle keep-alive connection stays open.', SERVE_DEFAULTS.timeouts.idleMs),
        shutdownGraceMs: defaulted(
          {
            type: 'integer',
            minimum: 0,
            maximum: 3600000,
            description: 'On SIGTERM, how long in-flight work may finish before it is cancelled.',
          },
          SERVE_DEFAULTS.timeouts.shutdownGraceMs,
        ),
        drainDelayMs: defaulted(
          {
            type: 'integer',
            minimum: 0,
            maximum: 3600000,
            description:
              "On SIGTERM, how long the server keeps taking requests after /readyz turned 503, so that a load balancer (or Kubernetes) stops routing to it before it stops accepting; set it to the balancer's health-check interval plus margin.",
          },
          SERVE_DEFAULTS.timeouts.drainDelayMs,
        ),
      },
    },
    chatTemplate: chatTemplateSchema,
    playground: defaulted(
      {
        type: 'boolean',
        description:
          "Serve the playground page at `/` (and its assets under /playground/) and the routes it reads: a pipeline's files, model card and training curves.",
      },
      SERVE_DEFAULTS.playground,
    ),
    workerNice: defaulted(
      {
        type: 'integer',
        minimum: 0,
        maximum: 19,
        description:
          'Nice value of the worker threads on Linux (0 leaves them as they are): the event loop then gets the CPU before the models when cores are oversubscribed.',
      },
      SERVE_DEFAULTS.workerNice,
    ),
    logLevel: defaulted(
      { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], description: 'pino log level.' },
      SERVE_DEFAULTS.logLevel,
    ),
    allowPlugins: {
      type: 'array',
      items: { type: 'string' },
      description: 'Plugin modules the specs may import (as `--allow-plugin`).',
    },
    allowRoots: {
      type: 'array',
      items: { type: 'string' },
      description: 'Extra folders spec file references may point into, relative to this file.',
    },
  },
} as const;

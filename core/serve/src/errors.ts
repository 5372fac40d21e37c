import { defineErrors } from '@recur/runtime';

/**
 * The error table of @recur/serve. Every code appears in the generated error reference
 * (docs/reference/errors.md) once this module is imported, which the CLI does. `httpStatus` is the
 * status the server answers with; `exitCode` the CLI's exit status for start-up failures.
 */
export const ServeErrors = defineErrors('@recur/serve', {
  CONFIG_INVALID: {
    code: 'RECUR_E_SERVE_CONFIG_INVALID',
    description:
      'The `--config` file is not JSON or does not match the server configuration schema; every problem names its JSON pointer.',
  },
  KEYS_REQUIRED: {
    code: 'RECUR_E_SERVE_KEYS_REQUIRED',
    description:
      'The server was asked to bind a non-loopback address without API keys; set `auth.apiKeys` (or RECUR_SERVE_API_KEYS) or bind 127.0.0.1.',
  },
  REGISTRY_MODULE: {
    code: 'RECUR_E_SERVE_REGISTRY_MODULE',
    description:
      'The plugin registry module given to the server (`--registry`) could not be imported or does not export the named factory.',
  },
  LOAD_FAILED: {
    code: 'RECUR_E_SERVE_LOAD_FAILED',
    description:
      "A pipeline could not be loaded in its worker at start-up; the cause carries the loader's own error code.",
  },
  DUPLICATE_NAME: {
    code: 'RECUR_E_SERVE_DUPLICATE_NAME',
    description: 'Two served pipelines have the same name; give one of them another `name` in the configuration.',
  },
  UNAUTHORIZED: {
    code: 'RECUR_E_SERVE_UNAUTHORIZED',
    description:
      'The request has no `Authorization: Bearer <key>` header or the key is not one of the configured API keys.',
    httpStatus: 401,
  },
  BODY_TOO_LARGE: {
    code: 'RECUR_E_SERVE_BODY_TOO_LARGE',
    description: 'The request body is larger than `limits.bodyBytes`.',
    httpStatus: 413,
  },
  BODY_TOO_DEEP: {
    code: 'RECUR_E_SERVE_BODY_TOO_DEEP',
    description:
      'The request body nests arrays or objects deeper than 64 levels; no route needs more than a few, so it is refused before it is parsed.',
    httpStatus: 400,
  },
  RECEIVE_TIMEOUT: {
    code: 'RECUR_E_SERVE_RECEIVE_TIMEOUT',
    description:
      "The client did not send the request's headers and body within `timeouts.receiveMs`; the connection is closed.",
    httpStatus: 408,
  },
  BAD_HTTP: {
    code: 'RECUR_E_SERVE_BAD_HTTP',
    description:
      'The request is not valid HTTP/1.1 (malformed request line or headers, or headers larger than 16 KiB); the connection is closed.',
    httpStatus: 400,
  },
  PORT_IN_USE: {
    code: 'RECUR_E_SERVE_PORT_IN_USE',
    description:
      'Another process already listens on the port asked for; stop it, or choose another port (`--port`, `port` in the configuration; 0 picks a free one).',
  },
  LISTEN_FAILED: {
    code: 'RECUR_E_SERVE_LISTEN_FAILED',
    description:
      "The server could not listen on the host and port asked for (a port below 1024 without the privilege, an address this machine does not have); the message gives the system's reason.",
  },
  MALFORMED_JSON: {
    code: 'RECUR_E_SERVE_MALFORMED_JSON',
    description: 'The request body is not valid JSON (or is empty while JSON was announced).',
    httpStatus: 400,
  },
  UNSUPPORTED_MEDIA_TYPE: {
    code: 'RECUR_E_SERVE_UNSUPPORTED_MEDIA_TYPE',
    description: 'The request body has a content type other than `application/json`.',
    httpStatus: 415,
  },
  INVALID_REQUEST: {
    code: 'RECUR_E_SERVE_INVALID_REQUEST',
    description:
      "The request body does not match the route's schema; `param` names the field and `pointer` its JSON pointer.",
    httpStatus: 400,
  },
  UNSUPPORTED_PARAMETER: {
    code: 'RECUR_E_SERVE_UNSUPPORTED_PARAMETER',
    description:
      'The request uses an OpenAI parameter (or value) that Recur does not implement; see the compatibility table in docs/guides/chatbot-backend.md.',
    httpStatus: 400,
  },
  ROUTE_NOT_FOUND: {
    code: 'RECUR_E_SERVE_ROUTE_NOT_FOUND',
    description: 'No route has this method and path.',
    httpStatus: 404,
  },
  PIPELINE_NOT_FOUND: {
    code: 'RECUR_E_SERVE_PIPELINE_NOT_FOUND',
    description: 'No served pipeline has this name; the error lists the nearest names.',
    httpStatus: 404,
  },
  FILE_NOT_FOUND: {
    code: 'RECUR_E_SERVE_FILE_NOT_FOUND',
    description:
      'The pipeline serves no file at this path: the files route serves only the spec and the files it references inside its folder, and a pipeline without `MODEL_CARD.md` or `training/metrics.jsonl` beside its weights has no card or curves (see the playground section of docs/guides/chatbot-backend.md).',
    httpStatus: 404,
  },
  MODEL_NOT_FOUND: {
    code: 'RECUR_E_SERVE_MODEL_NOT_FOUND',
    description:
      'The `model` of an OpenAI-style request names no served generation pipeline; `GET /v1/models` lists them.',
    httpStatus: 404,
  },
  NOT_GENERATION: {
    code: 'RECUR_E_SERVE_NOT_GENERATION',
    description:
      'The `model` names a pipeline whose task is not text generation; call it at `POST /v1/pipelines/<name>` instead.',
    httpStatus: 400,
  },
  MAX_TOKENS: {
    code: 'RECUR_E_SERVE_MAX_TOKENS',
    description: '`max_tokens` is larger than `limits.maxTokens`; the error names the limit.',
    httpStatus: 422,
  },
  TOO_MANY_INPUTS: {
    code: 'RECUR_E_SERVE_TOO_MANY_INPUTS',
    description:
      'A request carries more inputs (or prompts times `n` choices) than `limits.maxInputs`; the error names the limit.',
    httpStatus: 422,
  },
  BUSY: {
    code: 'RECUR_E_SERVE_BUSY',
    description:
      "The pipeline's queue is full (`limits.maxQueue`); retry after the number of seconds in the `retry-after` header.",
    httpStatus: 429,
  },
  TIMEOUT: {
    code: 'RECUR_E_SERVE_TIMEOUT',
    description: "The request's work did not finish within `timeouts.requestMs` and was cancelled.",
    httpStatus: 504,
  },
  NOT_READY: {
    code: 'RECUR_E_SERVE_NOT_READY',
    description:
      "The pipeline's worker is (re)starting; retry shortly. `GET /readyz` says when every pipeline is loaded.",
    httpStatus: 503,
  },
  SHUTTING_DOWN: {
    code: 'RECUR_E_SERVE_SHUTTING_DOWN',
    description:
      'The server is shutting down (SIGTERM) and takes no new work; in-flight work was cancelled after the grace period.',
    httpStatus: 503,
  },
  WORKER_FAILED: {
    code: 'RECUR_E_SERVE_WORKER_FAILED',
    description: 'The worker thread running the pipeline stopped while the request was in it; the worker is restarted.',
    exitCode: 3,
    httpStatus: 500,
  },
  CANCELLED: {
    code: 'RECUR_E_SERVE_CANCELLED',
    description:
      'The client closed the connection before the answer was complete, so its work was cancelled (logged, never sent).',
    httpStatus: 499,
  },
});

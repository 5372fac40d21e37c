import { defineErrors } from './define-errors.js';

/** The error table of @recur/runtime. Every code here is documented in docs/reference/errors.md. */
export const E = defineErrors('@recur/runtime', {
  SPEC_PARSE: {
    code: 'RECUR_E_SPEC_PARSE',
    description: 'The spec file is not valid JSON (or is empty); the message gives line and column.',
  },
  SPEC_TOO_LARGE: {
    code: 'RECUR_E_SPEC_TOO_LARGE',
    description:
      'The spec exceeds a size limit (bytes, nesting depth, string length, keys); limits are applied before schema validation.',
  },
  SPEC_FORBIDDEN_KEY: {
    code: 'RECUR_E_SPEC_FORBIDDEN_KEY',
    description: 'The spec uses a key reserved by JavaScript (`__proto__`, `constructor`, `prototype`); rename it.',
  },
  SPEC_INVALID: {
    code: 'RECUR_E_SPEC_INVALID',
    description: 'The spec does not match the schema; each problem lists its JSON pointer and what was expected.',
  },
  SPEC_UNKNOWN_KEY: {
    code: 'RECUR_E_SPEC_UNKNOWN_KEY',
    description: 'The spec has a key the schema does not know; the error suggests the nearest known key.',
  },
  SPEC_OVERRIDE: {
    code: 'RECUR_E_SPEC_OVERRIDE',
    description: 'A `--set path=value` override is malformed or names a path that cannot be set.',
    exitCode: 2,
  },
  PATH_OUTSIDE_ROOT: {
    code: 'RECUR_E_PATH_OUTSIDE_ROOT',
    description:
      'A file reference leaves the spec folder (`..`, an absolute path or a symlink); move the file or allow a root explicitly.',
  },
  PATH_NOT_FOUND: {
    code: 'RECUR_E_PATH_NOT_FOUND',
    description: 'A file the spec refers to does not exist (for weights: train the spec first with `recur train`).',
  },
  PLUGIN_UNKNOWN: {
    code: 'RECUR_E_PLUGIN_UNKNOWN',
    description: 'A `type` names no registered plugin of that kind; the error lists the nearest registered names.',
  },
  PLUGIN_DUPLICATE: {
    code: 'RECUR_E_PLUGIN_DUPLICATE',
    description:
      'Two plugins register the same kind and versioned type; versioned names never change meaning, so publish a new version instead.',
  },
  PLUGIN_INVALID: {
    code: 'RECUR_E_PLUGIN_INVALID',
    description: 'A plugin declaration is malformed (kind, versioned type, option schema or factory).',
  },
  PLUGIN_VERSION: {
    code: 'RECUR_E_PLUGIN_VERSION',
    description: 'A plugin requires a different version of @recur/runtime than the one loaded.',
  },
  PLUGIN_NOT_ALLOWED: {
    code: 'RECUR_E_PLUGIN_NOT_ALLOWED',
    description:
      'The spec lists a plugin module the caller did not allow; pass it in `allowPlugins` (CLI: `--allow-plugin`).',
  },
  PLUGIN_CONTRACT: {
    code: 'RECUR_E_PLUGIN_CONTRACT',
    description:
      "A plugin's part breaks the contract of its kind (a cell whose step omits a state it declares, returns a state of another shape than [batch, hidden], or throws while its graph is built); the error names the plugin type, the state and what was expected against what it got. Fix the plugin.",
  },
  PLUGIN_LOAD: {
    code: 'RECUR_E_PLUGIN_LOAD',
    description: 'An allowed plugin module could not be imported or exports no plugin definitions.',
  },
  TASK_UNSUPPORTED: {
    code: 'RECUR_E_TASK_UNSUPPORTED',
    description: 'The spec names a task no registered plugin implements; the error lists the supported tasks.',
  },
  TASK_MISMATCH: {
    code: 'RECUR_E_TASK_MISMATCH',
    description:
      "`load(spec, { task })` was asked for one task and the spec's `task` is another; load the spec meant for that task, or change `task`.",
  },
  WEIGHTS_INVALID: {
    code: 'RECUR_E_WEIGHTS_INVALID',
    description: 'A safetensors file is malformed: bad header, offsets out of range, unknown dtype.',
  },
  WEIGHTS_MISMATCH: {
    code: 'RECUR_E_WEIGHTS_MISMATCH',
    description:
      'The weights do not fit the spec: a tensor is missing, extra, or has another shape or dtype; the error names the tensor.',
  },
  WEIGHTS_MISSING: {
    code: 'RECUR_E_WEIGHTS_MISSING',
    description: 'The spec names a weights file that does not exist yet; run `recur train` to create it.',
  },
  WEIGHTS_NON_FINITE: {
    code: 'RECUR_E_WEIGHTS_NON_FINITE',
    description:
      'A weights file holds NaN or ±Infinity values; the error names the tensor and how many values. Retrain, or restore the file from a good checkpoint.',
  },
  WEIGHTS_PROVENANCE: {
    code: 'RECUR_E_WEIGHTS_PROVENANCE',
    description:
      'The weights record another spec or tokenizer than the ones loaded, and the provenance check is strict (`runtime.provenance: "error"`, CLI `--strict-provenance`); retrain, or point the spec at its own weights.',
  },
  WEIGHTS_CHANGED: {
    code: 'RECUR_E_WEIGHTS_CHANGED',
    description: 'The weights file changed on disk while a pipeline was being loaded from it; load it again.',
  },
  ONNX_INVALID: {
    code: 'RECUR_E_ONNX_INVALID',
    description: 'An ONNX model or tensor file could not be decoded, or has inputs/outputs other than the spec maps.',
  },
  ONNX_REJECTED: {
    code: 'RECUR_E_ONNX_REJECTED',
    description:
      "ONNX Runtime refused a model file a user supplied (an unknown operator, a shape it cannot allocate, an invalid graph); the message names the file and gives ONNX Runtime's reason.",
    httpStatus: 422,
  },
  BACKEND_FAILED: {
    code: 'RECUR_E_BACKEND_FAILED',
    description: 'ONNX Runtime failed to create a session or run a graph; the message carries its own words.',
    exitCode: 3,
    httpStatus: 500,
  },
  EP_UNAVAILABLE: {
    code: 'RECUR_E_EP_UNAVAILABLE',
    description: 'None of the execution providers the spec asks for is available (CPU is always tried last).',
    exitCode: 3,
    httpStatus: 500,
  },
  INPUT_INVALID: {
    code: 'RECUR_E_INPUT_INVALID',
    description: 'A pipeline input has the wrong type (a string, or an array of strings, is expected).',
    httpStatus: 400,
  },
  OUTPUT_NON_FINITE: {
    code: 'RECUR_E_OUTPUT_NON_FINITE',
    description:
      'The model produced NaN or ±Infinity where a score or probability was due; that call fails instead of answering with a meaningless result. The weights or the model file are at fault.',
    httpStatus: 500,
  },
  OPTION_UNKNOWN: {
    code: 'RECUR_E_OPTION_UNKNOWN',
    description:
      'A call option (`run(input, { ... })`, `--options`, the HTTP `options` object) is not one the task knows; the error suggests the nearest known option.',
    httpStatus: 400,
  },
  OPTION_INVALID: {
    code: 'RECUR_E_OPTION_INVALID',
    description:
      'A call option has the wrong type or is out of range (`topK: "two"`, `topK: 0`); the error names the option and what it accepts.',
    httpStatus: 400,
  },
  INPUT_EMPTY: {
    code: 'RECUR_E_INPUT_EMPTY',
    description:
      'An input is empty or only whitespace, and the task has nothing to answer for it (classification, translation); generation accepts an empty prompt.',
    httpStatus: 400,
  },
  INPUT_TOO_LONG: {
    code: 'RECUR_E_INPUT_TOO_LONG',
    description:
      'An input has more tokens than the pipeline allows and `truncation` is `"off"` (a call option or the spec\'s `runtime.truncation`); otherwise the input is cut and a warning names it.',
    httpStatus: 422,
  },
  ABORTED: { code: 'RECUR_E_ABORTED', description: 'The call was cancelled through its AbortSignal.', httpStatus: 499 },
  DISPOSED: { code: 'RECUR_E_DISPOSED', description: 'The pipeline was disposed; load it again.', httpStatus: 503 },
  USAGE: {
    code: 'RECUR_E_USAGE',
    description: 'A command was called with wrong or missing arguments; `recur help` lists the usage.',
    exitCode: 2,
  },
  IO: {
    code: 'RECUR_E_IO',
    description: 'A file could not be read or written (permissions, missing folder, disk full).',
  },
  INTERNAL: {
    code: 'RECUR_E_INTERNAL',
    description: 'A fault inside Recur; please report it with the command that caused it.',
    exitCode: 3,
    httpStatus: 500,
  },
  SPEC_DUPLICATE_KEY: {
    code: 'RECUR_E_SPEC_DUPLICATE_KEY',
    description:
      'An object in the spec has the same key twice; JSON parsers keep only the last one, so remove the other.',
  },
});

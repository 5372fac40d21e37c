/** @recur/cli: the `recur` command, and the convenient entry that registers the built-in plugins. */
export { createRegistry } from './registry.js';
export { main, helpText } from './main.js';
export { processIO, formatError, type CommandIO } from './io.js';
export { generatedDocs, docsDrift } from './commands/docs.js';
export { load, type Pipeline, type LoadOptions, type TaskName } from '@recur/runtime';
// The built-in tasks' options and result items (importing them also brings in their typed `run`).
export type {
  ClassificationOptions,
  LabelScore,
  GenerationOptions,
  GeneratedTextResult,
  TranslationOptions,
  TranslationResult,
} from '@recur/heads';
export { conformanceCommand } from './commands/conformance.js';
export { formatEvalReport, type EvalReport } from './format-report.js';
export { followLauncher } from './follow-launcher.js';

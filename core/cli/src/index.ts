/** @recur/cli: the `recur` command, and the convenient entry that registers the built-in plugins. */
export { createRegistry } from './registry.js';
export { main, helpText } from './main.js';
export { processIO, formatError, type CommandIO } from './io.js';
export { generatedDocs, docsDrift } from './commands/docs.js';
export { load, type Pipeline, type LoadOptions } from '@recur/runtime';
export { conformanceCommand } from './commands/conformance.js';
export { formatEvalReport, type EvalReport } from './format-report.js';
export { followLauncher } from './follow-launcher.js';

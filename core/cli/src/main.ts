import { RuntimeErrors as E, type PluginRegistry } from '@recur/runtime';
import { conformanceCommand } from './commands/conformance.js';
import { docsCommand } from './commands/docs.js';
import { evalCommand } from './commands/eval.js';
import { trainCommand } from './commands/train.js';
import { quantizeCommand } from './commands/quantize.js';
import { exportCommand } from './commands/export.js';
import { fillCommand } from './commands/fill.js';
import { initCommand } from './commands/init.js';
import { runCommand } from './commands/run.js';
import { serveCommand } from './commands/serve.js';
import { validateCommand } from './commands/validate.js';
import { reportFailure, type CommandIO } from './io.js';
import { createRegistry } from './registry.js';

type Command = (argv: readonly string[], io: CommandIO, registry: PluginRegistry) => Promise<number>;

interface CommandEntry {
  readonly summary: string;
  readonly run: Command;
}

/** The command table: adding a command is one line here and one file in commands/. */
const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  validate: { summary: 'check a spec and its file references (--json for one JSON object)', run: validateCommand },
  run: { summary: 'run a pipeline on --text or on a file of inputs (--input, --output)', run: runCommand },
  train: { summary: 'train the spec\'s weights (--data, --dev, --epochs, --resume; Ctrl-C leaves a checkpoint)', run: trainCommand },
  eval: { summary: 'measure the trained weights on a data set (accuracy/F1, BLEU, nats per char)', run: evalCommand },
  quantize: { summary: 'store a weights file as float16 (half the size; check accuracy with recur eval)', run: quantizeCommand },
  fill: { summary: 'print the spec with every default written out', run: fillCommand },
  export: { summary: 'write the compute units as .onnx files (-o DIR)', run: exportCommand },
  init: { summary: 'write untrained, seeded weights for a spec', run: initCommand },
  conformance: { summary: 'run reference cases (PyTorch fixtures, ONNX node tests) and report N passed, N failed', run: (argv, io, registry) => conformanceCommand(argv, io, registry) },
  docs: { summary: 'regenerate (--write) or check (--check) the reference docs', run: docsCommand },
  serve: { summary: 'serve pipelines over HTTP (OpenAI-compatible generation, --port, --config FILE)', run: serveCommand },
};

export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: recur <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nCommon options: --set path=value (override a spec value), --allow-plugin MODULE, --allow-root DIR, --json.\nExit codes: 0 success, 1 invalid input or spec, 2 wrong usage, 3 internal fault.\n`;
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function main(argv: readonly string[], io: CommandIO, registry: PluginRegistry = createRegistry()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(helpText());
    return name === undefined ? 2 : 0;
  }
  const entry = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const known = Object.keys(COMMANDS);
    const { nearestNames } = await import('@recur/runtime');
    const near = nearestNames(name, known);
    return reportFailure(E.USAGE(`unknown command "${name}".${near.length ? ` Did you mean "${near[0]}"?` : ''} Commands: ${known.join(', ')}`, { suggestions: near }), io, false);
  }
  try {
    return await entry.run(rest, io, registry);
  } catch (err) {
    return reportFailure(err, io, rest.includes('--json'));
  }
}

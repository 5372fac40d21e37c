import { RuntimeErrors as E, type PluginRegistry } from '@recur/runtime';
import { conformanceCommand, USAGE as conformanceUsage } from './commands/conformance.js';
import { docsCommand, USAGE as docsUsage } from './commands/docs.js';
import { evalCommand, USAGE as evalUsage } from './commands/eval.js';
import { trainCommand, USAGE as trainUsage } from './commands/train.js';
import { DETAILS as quantizeDetails, quantizeCommand, USAGE as quantizeUsage } from './commands/quantize.js';
import { exportCommand, USAGE as exportUsage } from './commands/export.js';
import { fillCommand, USAGE as fillUsage } from './commands/fill.js';
import { importCommand, USAGE as importUsage } from './commands/import.js';
import { initCommand, USAGE as initUsage } from './commands/init.js';
import { newCommand, USAGE as newUsage } from './commands/new.js';
import { DETAILS as runDetails, runCommand, USAGE as runUsage } from './commands/run.js';
import { serveCommand, USAGE as serveUsage } from './commands/serve.js';
import { sweepCommand, USAGE as sweepUsage } from './commands/sweep.js';
import { validateCommand, USAGE as validateUsage } from './commands/validate.js';
import { workerCommand, USAGE as workerUsage } from './commands/worker.js';
import { reportFailure, type CommandIO } from './io.js';
import { createRegistry } from './registry.js';

type Command = (argv: readonly string[], io: CommandIO, registry: PluginRegistry) => Promise<number>;

interface CommandEntry {
  readonly summary: string;
  /** The synopsis `recur <command> --help` prints (and usage errors repeat). */
  readonly usage: string;
  /** Option explanations `--help` prints after the synopsis. */
  readonly details?: string;
  readonly run: Command;
}

/** The command table: adding a command is one line here and one file in commands/. */
const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  validate: {
    summary: 'check a spec and its file references (--json for one JSON object)',
    usage: validateUsage,
    run: validateCommand,
  },
  run: {
    summary: 'run a pipeline on --text or on a file of inputs (--input, --output; --queue for workers)',
    usage: runUsage,
    details: runDetails,
    run: runCommand,
  },
  train: {
    summary: "train the spec's weights (--data, --dev, --epochs, --resume; Ctrl-C leaves a checkpoint)",
    usage: trainUsage,
    run: trainCommand,
  },
  sweep: {
    summary:
      'train one model per setting of --grid (or --random N of them), locally or on workers (--queue); leaderboard and winning spec',
    usage: sweepUsage,
    run: sweepCommand,
  },
  eval: {
    summary: 'measure the trained weights on a data set (accuracy/F1, BLEU, nats per char)',
    usage: evalUsage,
    run: evalCommand,
  },
  quantize: {
    summary: 'store a weights file as float16 (default) or int8 (--dtype int8); check accuracy with recur eval',
    usage: quantizeUsage,
    details: quantizeDetails,
    run: quantizeCommand,
  },
  fill: { summary: 'print the spec with every default written out', usage: fillUsage, run: fillCommand },
  export: { summary: 'write the compute units as .onnx files (-o DIR)', usage: exportUsage, run: exportCommand },
  init: { summary: 'write untrained, seeded weights for a spec', usage: initUsage, run: initCommand },
  import: {
    summary:
      "fill a spec's weights from a PyTorch state dict (import torch FILE --spec SPEC -o WEIGHTS --map PREFIX=PART)",
    usage: importUsage,
    run: importCommand,
  },
  new: {
    summary: 'scaffold a plugin package (new plugin NAME --kind cell|head|tokenizer|embedding)',
    usage: newUsage,
    run: newCommand,
  },
  conformance: {
    summary: 'run reference cases (PyTorch fixtures, ONNX node tests) and report N passed, N failed',
    usage: conformanceUsage,
    run: (argv, io, registry) => conformanceCommand(argv, io, registry),
  },
  docs: { summary: 'regenerate (--write) or check (--check) the reference docs', usage: docsUsage, run: docsCommand },
  serve: {
    summary: 'serve pipelines over HTTP (OpenAI-compatible generation, --port, --config FILE)',
    usage: serveUsage,
    run: serveCommand,
  },
  worker: {
    summary: 'run the chunk jobs of `recur run --queue` (and sweep trials) from Redis for the given specs',
    usage: workerUsage,
    run: workerCommand,
  },
};

export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: recur <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nCommon options: --set path=value (override a spec value), --allow-plugin MODULE, --allow-root DIR, --json.\nExit codes: 0 success, 1 invalid input or spec, 2 wrong usage, 3 internal fault.\n`;
}

/** `recur <command> --help` (or `recur help <command>`): what it does and its synopsis. */
function commandHelp(name: string, entry: CommandEntry): string {
  return `recur ${name}: ${entry.summary}\n\nusage: ${entry.usage}\n\n${entry.details ? `${entry.details}\n\n` : ''}Common options: --set path=value, --allow-plugin MODULE, --allow-root DIR, --json (where the synopsis lists them).\nReference: docs/reference/spec.md (specs), docs/reference/errors.md (error codes), docs/guides/.\n`;
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function main(
  argv: readonly string[],
  io: CommandIO,
  registry: PluginRegistry = createRegistry(),
): Promise<number> {
  const [name, ...rest] = argv;
  const topic =
    name === 'help' && rest[0] !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, rest[0])
      ? rest[0]
      : undefined;
  if (topic !== undefined) {
    io.stdout.write(commandHelp(topic, COMMANDS[topic]));
    return 0;
  }
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(helpText());
    return name === undefined ? 2 : 0;
  }
  const entry = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const known = Object.keys(COMMANDS);
    const { nearestNames } = await import('@recur/runtime/internal');
    const near = nearestNames(name, known);
    return reportFailure(
      E.USAGE(
        `unknown command "${name}".${near.length ? ` Did you mean "${near[0]}"?` : ''} Commands: ${known.join(', ')}`,
        { suggestions: near },
      ),
      io,
      false,
    );
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(commandHelp(name, entry));
    return 0;
  }
  try {
    return await entry.run(rest, io, registry);
  } catch (err) {
    return reportFailure(err, io, rest.includes('--json'));
  }
}

import { resolve } from 'node:path';
import { consoleLogger, type PluginRegistry } from '@recur/runtime';
import { evaluatePipeline } from '@recur/train';
import { parse, positional, SPEC_OPTIONS } from '../args.js';
import { reportFailure, type CommandIO } from '../io.js';
import { writeFileAtomic } from '../write-file-atomic.js';
import { formatEvalReport } from '../format-report.js';

export const USAGE =
  'recur eval SPEC --data FILE [--data FILE2] [--json] [--predictions FILE.jsonl] [--threads N] [--skip-invalid] [--set path=value]...';

/** `recur eval`: the task's metric for the spec's trained weights on a data set. */
export async function evalCommand(argv: readonly string[], io: CommandIO, registry: PluginRegistry): Promise<number> {
  try {
    const { values, positionals } = parse(
      argv,
      {
        ...SPEC_OPTIONS,
        data: { type: 'string', multiple: true },
        predictions: { type: 'string' },
        threads: { type: 'string' },
        'skip-invalid': { type: 'boolean' },
      },
      USAGE,
    );
    const spec = positional(positionals, 'spec file', USAGE);
    const result = await evaluatePipeline(spec, {
      registry,
      cwd: io.cwd,
      logger: consoleLogger(undefined, io.stderr),
      allowPlugins: values['allow-plugin'] ?? [],
      ...(values.data ? { data: values.data } : {}),
      ...(values.set ? { overrides: values.set } : {}),
      ...(values['allow-root'] ? { allowRoots: values['allow-root'].map((r) => resolve(io.cwd, r)) } : {}),
      ...(values.threads !== undefined ? { threads: Number(values.threads) } : {}),
      ...(values['skip-invalid'] ? { skipInvalid: true } : {}),
    });
    if (values.predictions && result.predictions) {
      await writeFileAtomic(
        resolve(io.cwd, values.predictions),
        result.predictions.map((p) => JSON.stringify(p)).join('\n') + '\n',
      );
    }
    const { predictions: _p, ...report } = result;
    if (values.json) io.stdout.write(JSON.stringify(report) + '\n');
    else io.stdout.write(formatEvalReport(report));
    return 0;
  } catch (err) {
    return reportFailure(err, io, argv.includes('--json'));
  }
}

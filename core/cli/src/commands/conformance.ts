import { resolve } from 'node:path';
import { OrtBackend, RuntimeErrors as E, type PluginRegistry } from '@recur/runtime';
import { summaryLine, type ConformanceHandler } from '@recur/runtime/internal';
import { recurrentConformance } from '@recur/recurrent';
import { parse, positional } from '../args.js';
import { checkInputFolder } from '../folders.js';
import { reportFailure, type CommandIO } from '../io.js';

export const USAGE = 'recur conformance DIR [--kind rnn|train] [--threads N]';

/**
 * `recur conformance DIR`: runs a folder of reference cases — a PyTorch fixture folder (its
 * `index.json`; `--kind` selects a section, all sections otherwise) or a folder of ONNX backend node
 * tests — printing one line per case and then `N passed, N failed[, N skipped]`. Exit 0 when every
 * case ran and passed; 1 when any failed or when the requested kind has no handler; 2 on usage.
 *
 * Handlers: this package's `rnn` handler, ONNX node tests (built into the runtime), `extraHandlers`,
 * and those a package exports as `conformanceHandlers` from `@recur/train` when it is installed.
 */
export async function conformanceCommand(
  argv: readonly string[],
  io: Pick<CommandIO, 'stdout' | 'stderr'> & { cwd?: string },
  registry?: PluginRegistry,
  extraHandlers: readonly ConformanceHandler[] = [],
): Promise<number> {
  const backend = new OrtBackend();
  try {
    const { values, positionals } = parse(argv, { kind: { type: 'string' }, threads: { type: 'string' } }, USAGE);
    const dir = resolve(io.cwd ?? process.cwd(), positional(positionals, 'conformance folder', USAGE));
    await checkInputFolder(dir, 'conformance folder');
    const threads = values.threads === undefined ? undefined : Number(values.threads);
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 0))
      throw E.USAGE(`--threads must be a whole number, got ${values.threads}`, { expected: USAGE });
    const handlers = [...(await optionalHandlers('@recur/train')), ...extraHandlers];
    const report = await recurrentConformance(dir, {
      backend,
      handlers,
      ...(registry ? { registry } : {}),
      ...(values.kind ? { kind: values.kind } : {}),
      onResult: (_, line) => io.stdout.write(`${line}\n`),
    });
    io.stdout.write(`${summaryLine(report)}\n`);
    for (const kind of report.unhandledKinds) {
      io.stderr.write(
        `note: no handler for "${kind}" cases is registered; a package contributes one by exporting conformanceHandlers\n`,
      );
    }
    const requestedButUnhandled = values.kind !== undefined && report.unhandledKinds.includes(values.kind);
    return report.failed > 0 || requestedButUnhandled ? 1 : 0;
  } catch (err) {
    return reportFailure(err, { cwd: process.cwd(), ...io }, false);
  } finally {
    await backend.dispose();
  }
}

/**
 * The `conformanceHandlers` a package exports, or none when it is not installed or exports none.
 * The specifier is a variable so that the CLI builds without that package.
 */
async function optionalHandlers(specifier: string): Promise<ConformanceHandler[]> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch {
    return [];
  }
  const list = mod['conformanceHandlers'];
  const handlers: unknown = typeof list === 'function' ? (list as () => unknown)() : list;
  if (!Array.isArray(handlers)) return [];
  const candidates: readonly unknown[] = handlers;
  return candidates.filter((h): h is ConformanceHandler => {
    const c = h as Partial<Record<'kind' | 'run', unknown>> | null | undefined;
    return typeof c?.kind === 'string' && typeof c.run === 'function';
  });
}

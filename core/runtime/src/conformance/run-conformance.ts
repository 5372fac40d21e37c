import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Backend } from '../backend/backend.js';
import { E } from '../errors/runtime-errors.js';
import { RecurError } from '../errors/recur-error.js';
import { consoleLogger, type Logger } from '../logger.js';
import type { CaseResult, ConformanceCase, ConformanceHandler, ConformanceReport } from './conformance-contract.js';
import { findNodeTests, onnxNodeTestHandler } from './onnx-node-tests.js';

export interface ConformanceOptions {
  /** Handlers contributed by packages (`rnn`, `train`); ONNX node tests are built in. */
  readonly handlers: readonly ConformanceHandler[];
  readonly backend: Backend;
  /** Only this section of `index.json` (`rnn`, `train`); all sections when omitted. */
  readonly kind?: string;
  readonly logger?: Logger;
  /** Called after each case with its result and its printed line. */
  readonly onResult?: (result: CaseResult, line: string) => void;
}

/**
 * Runs a conformance folder: either an `index.json` whose array-valued keys are sections of cases
 * (each case run by the handler registered for its section), or a folder of ONNX backend node
 * tests (subfolders with `model.onnx`). A handler that throws fails its case with the message; a
 * section without a handler has its cases reported as skipped.
 */
export async function runConformance(dir: string, options: ConformanceOptions): Promise<ConformanceReport> {
  const root = resolve(dir);
  const env = { dir: root, backend: options.backend, logger: options.logger ?? consoleLogger() };
  const results: CaseResult[] = [];
  const unhandled: string[] = [];
  const report = (r: CaseResult) => {
    results.push(r);
    options.onResult?.(r, formatResult(r));
  };
  const runCase = async (handler: ConformanceHandler, c: ConformanceCase) => {
    try {
      for (const r of await handler.run(c, env)) report(r);
    } catch (err) {
      const code = RecurError.is(err) ? `${err.code}: ` : '';
      report({ name: c.name, status: 'failed', detail: `${code}${(err as Error).message.split('\n')[0]}` });
    }
  };

  const sections = await readIndex(root);
  if (sections) {
    const kinds = options.kind ? [options.kind] : Object.keys(sections);
    for (const kind of kinds) {
      const cases = sections[kind];
      if (!cases) {
        throw E.USAGE(
          `${join(root, 'index.json')} has no "${kind}" cases; it has: ${Object.keys(sections).join(', ')}`,
          { expected: Object.keys(sections).join(' | ') },
        );
      }
      const handler = options.handlers.find((h) => h.kind === kind);
      if (!handler) unhandled.push(kind);
      for (const c of cases) {
        if (handler) await runCase(handler, c);
        else
          report({
            name: c.name,
            status: 'skipped',
            detail: `no handler for "${kind}" cases is registered with this runner`,
          });
      }
    }
  } else {
    const tests = await findNodeTests(root);
    if (tests.length === 0) {
      throw E.USAGE(`${root} has neither an index.json nor ONNX node tests (subfolders with model.onnx)`, {
        expected: 'a conformance folder',
      });
    }
    const handler = options.handlers.find((h) => h.kind === onnxNodeTestHandler.kind) ?? onnxNodeTestHandler;
    for (const name of tests) await runCase(handler, { name });
  }
  const count = (s: CaseResult['status']) => results.filter((r) => r.status === s).length;
  return {
    results,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    unhandledKinds: unhandled,
  };
}

/** `pass  name  detail`, one line per case. */
export function formatResult(r: CaseResult): string {
  const tag = r.status === 'passed' ? 'pass' : r.status === 'failed' ? 'FAIL' : 'skip';
  return `${tag}  ${r.name}${r.detail ? `  ${r.detail}` : ''}`;
}

/** The last line of a run: `N passed, N failed` and, when any, `, N skipped`. */
export function summaryLine(report: ConformanceReport): string {
  return `${report.passed} passed, ${report.failed} failed${report.skipped > 0 ? `, ${report.skipped} skipped` : ''}`;
}

/** The array-valued sections of `dir/index.json`, or undefined when the folder has none. */
async function readIndex(dir: string): Promise<Record<string, ConformanceCase[]> | undefined> {
  const path = join(dir, 'index.json');
  try {
    await stat(path);
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw E.IO(`${path} could not be read as JSON: ${(err as Error).message}`, { file: path }, { cause: err });
  }
  const sections: Record<string, ConformanceCase[]> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!Array.isArray(value)) continue;
    sections[key] = value.map((c, i) => {
      if (!c || typeof c !== 'object' || typeof (c as ConformanceCase).name !== 'string') {
        throw E.IO(`${path}: ${key}[${i}] is not a case with a "name"`, { file: path });
      }
      return c as ConformanceCase;
    });
  }
  return sections;
}

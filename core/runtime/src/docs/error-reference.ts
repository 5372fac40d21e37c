import type { ErrorDefinition, ErrorTable } from '../errors/define-errors.js';
import { code, GENERATED_NOTE, table } from './markdown.js';

/**
 * The error reference page (`docs/reference/errors.md`) as markdown: every code of the error tables
 * given (as `defineErrors` returns them), with its package, CLI exit code, HTTP status and
 * description. Packages are listed by name and codes in the order their table declares them, so the
 * page does not depend on the order of `tables`.
 * @throws Error when two tables declare the same code (a programming error).
 */
export function renderErrorReference(tables: readonly ErrorTable[]): string {
  const byPackage = new Map<string, ErrorDefinition[]>();
  const seen = new Set<string>();
  for (const definition of tables.flatMap((t) => Object.values(t))) {
    if (seen.has(definition.code)) throw new Error(`duplicate error code ${definition.code}`);
    seen.add(definition.code);
    byPackage.set(definition.packageName, [...(byPackage.get(definition.packageName) ?? []), definition]);
  }
  const packages = [...byPackage.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const rows: string[][] = [];
  for (const [pkg, definitions] of packages) {
    for (const d of definitions)
      rows.push([code(d.code), code(pkg), String(d.exitCode), String(d.httpStatus), d.description]);
  }
  return [
    '# Error reference',
    '',
    GENERATED_NOTE,
    '',
    'Every problem Recur reports carries a stable code (`RECUR_E_<AREA>_<WHAT>`); programs branch on the code, never on the message.',
    'Errors about a spec also carry the JSON pointer of the problem, what was expected and, for unknown names, the nearest known ones.',
    'The CLI exits with the exit code below (1: bad input or spec, 2: wrong usage, 3 and up: a fault inside Recur);',
    'the server answers with the HTTP status.',
    '',
    table(['code', 'package', 'exit code', 'HTTP status', 'description'], rows),
    '',
  ].join('\n');
}

import { RecurAggregateError, RecurError } from '@recur/runtime';

/** Where a command writes; tests pass buffers, the bin passes the process streams. */
export interface CommandIO {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
  readonly cwd: string;
}

export const processIO: CommandIO = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };

/** One readable line per problem: `pointer  CODE  message`, then what was expected. */
export function formatError(err: RecurError): string {
  const list = err instanceof RecurAggregateError ? err.errors : [err];
  return list
    .map((e) => {
      const where =
        e.details.pointer !== undefined
          ? `${e.details.pointer || '/'}  `
          : e.details.file
            ? `${e.details.file}${e.details.line ? `:${e.details.line}` : ''}  `
            : '';
      const expected = e.details.expected ? `\n    expected: ${e.details.expected}` : '';
      return `${where}${e.code}  ${e.message.split('\n')[0]}${expected}`;
    })
    .join('\n');
}

/**
 * Reports a failure and returns the exit code: the error's own code for RecurErrors (1 bad input,
 * 2 usage), 3 for anything else, which is a fault in Recur and is reported as such (stack with
 * RECUR_DEBUG=1) — bad input must never end here.
 */
export function reportFailure(err: unknown, io: CommandIO, json: boolean): number {
  if (RecurError.is(err)) {
    if (json) io.stdout.write(JSON.stringify({ ok: false, errors: errorList(err) }) + '\n');
    else io.stderr.write(`error: ${formatError(err)}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (json) io.stdout.write(JSON.stringify({ ok: false, errors: [{ code: 'RECUR_E_INTERNAL', message }] }) + '\n');
  io.stderr.write(
    `internal error (RECUR_E_INTERNAL): ${message}\nThis is a bug in Recur; please report it with the command you ran.\n`,
  );
  if (process.env['RECUR_DEBUG'] && err instanceof Error) io.stderr.write(`${err.stack}\n`);
  return 3;
}

export function errorList(err: RecurError): Record<string, unknown>[] {
  return err instanceof RecurAggregateError ? err.errors.map((e) => e.toJSON()) : [err.toJSON()];
}

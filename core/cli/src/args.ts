import { parseArgs, type ParseArgsConfig } from 'node:util';
import { RuntimeErrors as E } from '@recur/runtime';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What `parse` returns: typed option values and the positionals. */
export type ParsedArgs<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
>;

/** Options every spec-taking command accepts. */
export const SPEC_OPTIONS = {
  set: { type: 'string', multiple: true },
  'allow-plugin': { type: 'string', multiple: true },
  'allow-root': { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const satisfies Options;

/** node:util parseArgs with strict checking, turning its errors into RECUR_E_USAGE (exit 2). */
export function parse<O extends Options>(argv: readonly string[], options: O, usage: string): ParsedArgs<O> {
  try {
    return parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>({
      args: [...argv],
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw E.USAGE(`${(err as Error).message}\nusage: ${usage}`, { expected: usage });
  }
}

/** The one positional a command needs, or a usage error naming it. */
export function positional(positionals: readonly string[], what: string, usage: string): string {
  if (positionals.length !== 1) {
    throw E.USAGE(
      `expected exactly one ${what}, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}\nusage: ${usage}`,
      { expected: usage },
    );
  }
  return positionals[0];
}

/** An integer option of at least `min`, its default when absent, or a usage error naming it. */
export function positiveInt(name: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min)
    throw E.USAGE(`--${name} must be an integer >= ${min}, got ${text}`, { expected: `integer >= ${min}` });
  return n;
}

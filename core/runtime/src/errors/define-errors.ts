import { defaultHttpStatus, RecurError, type RecurErrorDetails } from './recur-error.js';

/** One row of a package's error table. */
export interface ErrorDefinition {
  readonly code: string;
  /** The package whose table declares the code (`@recur/serve`), for the error reference. */
  readonly packageName: string;
  /** One sentence for the reference docs: when this error happens and how to fix it. */
  readonly description: string;
  /** CLI exit status: 1 bad input or spec, 2 usage, 3 and up internal. */
  readonly exitCode: number;
  /** HTTP status the server answers with. */
  readonly httpStatus: number;
}

export interface ErrorFactory extends ErrorDefinition {
  (message: string, details?: RecurErrorDetails, options?: { cause?: unknown }): RecurError;
  /** True for a RecurError with this code, even one from a second copy of the package. */
  is(err: unknown): err is RecurError;
}

/** A package's error table as `defineErrors` returns it (its factories are its definitions). */
export type ErrorTable = Readonly<Record<string, ErrorDefinition>>;

/**
 * Declares a package's error table. Each entry becomes a factory: `E.SPEC_INVALID('msg', {pointer})`,
 * whose errors carry the row's exit code and HTTP status (400 when a row names none, 500 for exit
 * codes 3 and up). A code used twice in one table is a programming error and throws at import;
 * codes are unique across packages, which the error reference checks over the tables it is given.
 */
export function defineErrors<K extends string>(
  packageName: string,
  rows: Record<K, { code: string; description: string; exitCode?: number; httpStatus?: number }>,
): Record<K, ErrorFactory> {
  const out = {} as Record<K, ErrorFactory>;
  const codes = new Set<string>();
  for (const key of Object.keys(rows) as K[]) {
    const row = rows[key];
    if (codes.has(row.code)) throw new Error(`duplicate error code ${row.code} in ${packageName}`);
    codes.add(row.code);
    const exitCode = row.exitCode ?? 1;
    const httpStatus = row.httpStatus ?? defaultHttpStatus(exitCode);
    const factory = ((message: string, details?: RecurErrorDetails, options?: { cause?: unknown }) =>
      new RecurError(row.code, message, details, exitCode, { cause: options?.cause, httpStatus })) as ErrorFactory;
    Object.defineProperties(factory, {
      code: { value: row.code },
      packageName: { value: packageName },
      description: { value: row.description },
      exitCode: { value: exitCode },
      httpStatus: { value: httpStatus },
      is: { value: (err: unknown): err is RecurError => RecurError.is(err) && err.code === row.code },
    });
    out[key] = factory;
  }
  return out;
}

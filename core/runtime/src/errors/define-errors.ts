import { RecurError, type RecurErrorDetails } from './recur-error.js';

/** One row of a package's error table. */
export interface ErrorDefinition {
  readonly code: string;
  /** One sentence for the reference docs: when this error happens and how to fix it. */
  readonly description: string;
  /** CLI exit status: 1 bad input or spec, 2 usage, 3 and up internal. */
  readonly exitCode: number;
  /** HTTP status the server answers with. */
  readonly httpStatus: number;
}

export interface ErrorFactory extends ErrorDefinition {
  (message: string, details?: RecurErrorDetails, options?: { cause?: unknown }): RecurError;
}

/** Every error table registered by a package, for the generated error reference. */
const tables = new Map<string, readonly ErrorFactory[]>();

/**
 * Declares a package's error table. Each entry becomes a factory: `E.SPEC_INVALID('msg', {pointer})`.
 * Codes are unique across packages; a duplicate is a programming error and throws at import.
 */
export function defineErrors<K extends string>(
  packageName: string,
  rows: Record<K, { code: string; description: string; exitCode?: number; httpStatus?: number }>,
): Record<K, ErrorFactory> {
  const out = {} as Record<K, ErrorFactory>;
  const list: ErrorFactory[] = [];
  for (const key of Object.keys(rows) as K[]) {
    const row = rows[key];
    for (const existing of tables.values()) {
      if (existing.some((f) => f.code === row.code)) throw new Error(`duplicate error code ${row.code}`);
    }
    const exitCode = row.exitCode ?? 1;
    const httpStatus = row.httpStatus ?? 400;
    const factory = ((message: string, details?: RecurErrorDetails, options?: { cause?: unknown }) =>
      new RecurError(row.code, message, details, exitCode, options)) as ErrorFactory;
    Object.defineProperties(factory, {
      code: { value: row.code },
      description: { value: row.description },
      exitCode: { value: exitCode },
      httpStatus: { value: httpStatus },
    });
    out[key] = factory;
    list.push(factory);
  }
  tables.set(packageName, list);
  return out;
}

/** All registered error tables, keyed by package, for `recur docs`. */
export function errorTables(): ReadonlyMap<string, readonly ErrorDefinition[]> {
  return tables;
}

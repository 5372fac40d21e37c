/**
 * The one error class every Recur package throws for problems a user can meet.
 *
 * A `RecurError` always carries a stable `code` (`RECUR_E_<AREA>_<WHAT>`), and where it applies the
 * JSON pointer into the spec, what was expected, and the nearest known names. Callers branch on
 * `code`, never on the message text.
 */
export interface RecurErrorDetails {
  /** JSON pointer into the spec (`/encoder/cell/type`), or a component chain for runtime faults. */
  readonly pointer?: string;
  /** What a correct value looks like, in words (`"one of: lstm, gru, rnn"`). */
  readonly expected?: string;
  /** Nearest known names, for "did you mean". */
  readonly suggestions?: readonly string[];
  /** The file the problem was found in, when it is not the spec itself. */
  readonly file?: string;
  /** 1-based line in `file`, for data readers. */
  readonly line?: number;
  /** Anything else worth showing in `--json` output. */
  readonly [extra: string]: unknown;
}

const RECUR_ERROR_MARK = Symbol.for('recur.error');

/** What a RecurError carries besides its code, message and details. */
export interface RecurErrorOptions {
  readonly cause?: unknown;
  /** HTTP status the server answers with; by default 500 for a fault inside Recur (exit code 3 and up), else 400. */
  readonly httpStatus?: number;
}

/** The HTTP status of an error that does not state one: a fault inside Recur is the server's, anything else the request's. */
export function defaultHttpStatus(exitCode: number): number {
  return exitCode >= 3 ? 500 : 400;
}

export class RecurError extends Error {
  readonly code: string;
  readonly details: RecurErrorDetails;
  /** Process exit status the CLI uses for this error: 1 for bad input, 2 for usage, 3+ internal. */
  readonly exitCode: number;
  /** HTTP status the server answers with (`413` for a body too large, `500` for a fault inside Recur, ...). */
  readonly httpStatus: number;

  constructor(
    code: string,
    message: string,
    details: RecurErrorDetails = {},
    exitCode = 1,
    options?: RecurErrorOptions,
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RecurError';
    this.code = code;
    this.details = details;
    this.exitCode = exitCode;
    this.httpStatus = options?.httpStatus ?? defaultHttpStatus(exitCode);
    Object.defineProperty(this, RECUR_ERROR_MARK, { value: true });
  }

  get pointer(): string | undefined {
    return this.details.pointer;
  }

  /** True for a RecurError even when it comes from a second copy of this package. */
  static is(value: unknown): value is RecurError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[RECUR_ERROR_MARK] === true;
  }

  /** The JSON form used by `--json` outputs and the HTTP server. */
  toJSON(): Record<string, unknown> {
    const { pointer, expected, suggestions, ...rest } = this.details;
    return {
      code: this.code,
      message: this.message,
      ...(pointer !== undefined ? { pointer } : {}),
      ...(expected !== undefined ? { expected } : {}),
      ...(suggestions !== undefined && suggestions.length > 0 ? { suggestions } : {}),
      ...rest,
    };
  }
}

/** Several problems found in one pass (spec validation reports every problem at once). */
export class RecurAggregateError extends RecurError {
  readonly errors: readonly RecurError[];

  constructor(
    code: string,
    message: string,
    errors: readonly RecurError[],
    options: { readonly exitCode?: number; readonly httpStatus?: number } = {},
  ) {
    const lines = errors.map((e) => `  ${e.pointer ?? ''} ${e.code}: ${e.message}`).join('\n');
    const exitCode = options.exitCode ?? 1;
    super(code, `${message}\n${lines}`, {}, exitCode, {
      httpStatus: options.httpStatus ?? defaultHttpStatus(exitCode),
    });
    this.name = 'RecurAggregateError';
    this.errors = errors;
  }

  override toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message.split('\n')[0], errors: this.errors.map((e) => e.toJSON()) };
  }
}

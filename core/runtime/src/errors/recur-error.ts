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

export class RecurError extends Error {
  readonly code: string;
  readonly details: RecurErrorDetails;
  /** Process exit status the CLI uses for this error: 1 for bad input, 2 for usage, 3+ internal. */
  readonly exitCode: number;

  constructor(
    code: string,
    message: string,
    details: RecurErrorDetails = {},
    exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RecurError';
    this.code = code;
    this.details = details;
    this.exitCode = exitCode;
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

  constructor(code: string, message: string, errors: readonly RecurError[]) {
    super(code, `${message}\n${errors.map((e) => `  ${e.pointer ?? ''} ${e.code}: ${e.message}`).join('\n')}`, {}, 1);
    this.name = 'RecurAggregateError';
    this.errors = errors;
  }

  override toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message.split('\n')[0], errors: this.errors.map((e) => e.toJSON()) };
  }
}

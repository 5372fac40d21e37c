/** The logging surface Recur needs; pino's logger satisfies it, and so does `consoleLogger`. */
export interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

/**
 * Writes warnings and errors to stderr (or `out`), one line each; debug and info only with
 * RECUR_LOG=debug|info.
 */
export function consoleLogger(
  level: 'debug' | 'info' | 'warn' | 'error' = envLevel(),
  out: { write(s: string): unknown } = process.stderr,
): Logger {
  const order = ['debug', 'info', 'warn', 'error'];
  const at = order.indexOf(level);
  const write = (lvl: string) => (msg: string, data?: Record<string, unknown>) => {
    if (order.indexOf(lvl) < at) return;
    out.write(`recur ${lvl}: ${msg}${data && Object.keys(data).length ? ' ' + JSON.stringify(data) : ''}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function envLevel(): 'debug' | 'info' | 'warn' | 'error' {
  const v = process.env['RECUR_LOG'];
  return v === 'debug' || v === 'info' || v === 'error' ? v : 'warn';
}

/** A logger that keeps lines in memory, for tests that assert a warning was logged. */
export function memoryLogger(): Logger & { lines: { level: string; msg: string; data?: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; data?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, data?: Record<string, unknown>) =>
    void lines.push({ level, msg, ...(data ? { data } : {}) });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

import type { Logger } from '@recur/runtime';

/** The browser console as a Recur logger: warnings and errors only, debug and info dropped. */
export function consoleLogger(): Logger {
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (msg, data) => {
      console.warn(`recur: ${msg}`, ...(data ? [data] : []));
    },
    error: (msg, data) => {
      console.error(`recur: ${msg}`, ...(data ? [data] : []));
    },
  };
}

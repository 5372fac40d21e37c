import { E } from '../errors/runtime-errors.js';
import type { RecurError } from '../errors/recur-error.js';
import { scanJsonText } from './json-scan.js';
import { FORBIDDEN_KEYS } from './limits.js';
import type { SpecLimits } from './spec-types.js';

const CONTINUABLE: ReadonlySet<string> = new Set([E.SPEC_FORBIDDEN_KEY.code, E.SPEC_DUPLICATE_KEY.code]);

/** What parsing JSON text gives: the value, or the problems that stopped it. */
export interface ParsedJson {
  readonly value?: unknown;
  readonly errors: RecurError[];
}

/**
 * Parses JSON text under the caps: the byte size first (before anything else reads the text), then
 * one iterative scan for grammar, depth, string lengths, key count and forbidden keys, and only then
 * `JSON.parse`. Reserved keys (`__proto__`, ...) are reported by the scan and dropped from the
 * value; a value comes back with its errors when those are the only problems.
 *
 * @param what How the text is named in messages (`the spec`, `the value of --set a.b`).
 */
export function parseJsonText(text: string, limits: SpecLimits, what = 'the spec'): ParsedJson {
  // Length in UTF-16 units never exceeds the UTF-8 byte count, so the cheap test comes first.
  if (text.length > limits.maxBytes || new TextEncoder().encode(text).byteLength > limits.maxBytes) {
    return {
      errors: [
        E.SPEC_TOO_LARGE(`${what} is larger than ${limits.maxBytes} bytes`, {
          pointer: '',
          expected: `at most ${limits.maxBytes} bytes`,
        }),
      ],
    };
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (/^[ \t\n\r]*$/.test(body)) {
    return {
      errors: [
        E.SPEC_PARSE(`${what} is empty; it must be a JSON object`, {
          pointer: '',
          line: 1,
          column: 1,
          expected: 'a JSON object',
        }),
      ],
    };
  }
  const problems = scanJsonText(body, limits);
  // Reserved and duplicate keys do not stop validation: the rest of the spec is still checked, so
  // that every problem is reported at once. Anything else (syntax, size) stops here.
  if (problems.some((e) => !CONTINUABLE.has(e.code))) return { errors: problems };
  try {
    // JSON.parse defines `__proto__` as a plain own property (no pollution); the reviver then drops
    // every reserved key, so no later merge of this value can be fooled by one.
    const value: unknown = JSON.parse(body, (key, v: unknown) => (FORBIDDEN_KEYS.has(key) ? undefined : v));
    return { value, errors: problems };
  } catch (cause) {
    // Only reachable if the scan and JSON.parse disagree about the grammar.
    return {
      errors: [E.SPEC_PARSE(`${what} is not valid JSON`, { pointer: '', expected: 'a JSON object' }, { cause })],
    };
  }
}

/** Names the JSON type of a value the way messages say it: `an array`, `a string`, `null`. */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}

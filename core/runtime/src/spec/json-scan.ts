/**
 * A single iterative pass over JSON text, run before `JSON.parse`. It checks the grammar (so syntax
 * errors come with a line, a column and the JSON pointer where they happen) and the size caps
 * (nesting depth, string length, key count) without recursion, so a 5,000-deep nesting or a
 * multi-megabyte string is refused cheaply and without a stack overflow. It also refuses the keys
 * JavaScript treats specially (`__proto__`, `constructor`, `prototype`), decoded from their
 * escapes, and duplicate keys. It builds no values: `JSON.parse` does that once the text is known good.
 */
import { E } from '../errors/runtime-errors.js';
import type { RecurError } from '../errors/recur-error.js';
import { escapePointerSegment } from './json-pointer.js';
import { FORBIDDEN_KEYS } from './limits.js';
import type { SpecLimits } from './spec-types.js';

/** Past this many problems the scan stops: the first ones are what a user fixes first. */
const MAX_REPORTED = 50;

interface Frame {
  readonly kind: 'object' | 'array';
  index: number;
  key: string | undefined;
  readonly keys: Set<string> | undefined;
}

type State = 'value' | 'arrayStart' | 'objectStart' | 'key' | 'colon' | 'afterValue';

/** Line and column (both 1-based) of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

function pointerOf(stack: readonly Frame[]): string {
  let out = '';
  for (const f of stack) {
    if (f.kind === 'array') out += `/${f.index}`;
    else if (f.key !== undefined) out += `/${escapePointerSegment(f.key)}`;
  }
  return out;
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function describeChar(text: string, at: number): string {
  if (at >= text.length) return 'the end of the text';
  const cp = text.codePointAt(at)!;
  const char = String.fromCodePoint(cp);
  const code = `U+${cp.toString(16).padStart(4, '0').toUpperCase()}`;
  if (cp < 0x20 || cp === 0x7f) return `control character ${code}`;
  // Invisible characters (no-break spaces, zero-width marks) are named by code, or the message shows nothing.
  return /[\s\p{Cf}]/u.test(char) ? `invisible character ${code}` : JSON.stringify(char);
}

/** Thrown inside the scanner to stop at the first syntax problem; caught and reported below. */
class SyntaxProblem extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Scans `text` (a whole spec, BOM already removed). Returns every problem found, empty when the text
 * is well-formed JSON within the caps.
 */
export function scanJsonText(text: string, limits: SpecLimits): RecurError[] {
  const errors: RecurError[] = [];
  const stack: Frame[] = [];
  const n = text.length;
  let totalKeys = 0;
  let state: State = 'value';
  let i = 0;

  const syntax = (offset: number, message: string): RecurError => {
    const { line, column } = lineAndColumn(text, offset);
    return E.SPEC_PARSE(`the spec is not valid JSON: ${message} (line ${line}, column ${column})`, {
      pointer: pointerOf(stack),
      line,
      column,
      offset,
    });
  };

  /** Reads the string starting at the quote at `start`; returns the offset after its closing quote. */
  const readString = (start: number): number => {
    let j = start + 1;
    for (;;) {
      if (j >= n) throw new SyntaxProblem(start, 'a string is not terminated (missing closing ")');
      const c = text.charCodeAt(j);
      if (c === 0x22) return j + 1;
      if (c === 0x5c) {
        const e = text.charCodeAt(j + 1);
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) {
            if (!isHex(text.charCodeAt(j + k)))
              throw new SyntaxProblem(j, 'a \\u escape needs four hexadecimal digits');
          }
          j += 6;
        } else if (
          e === 0x22 ||
          e === 0x5c ||
          e === 0x2f ||
          e === 0x62 ||
          e === 0x66 ||
          e === 0x6e ||
          e === 0x72 ||
          e === 0x74
        ) {
          j += 2;
        } else {
          throw new SyntaxProblem(j, `invalid escape \\${text[j + 1] ?? ''} in a string`);
        }
      } else if (c < 0x20) {
        throw new SyntaxProblem(j, `${describeChar(text, j)} inside a string (write it as an escape such as \\n)`);
      } else {
        j++;
      }
    }
  };

  /** Reads the number starting at `start`; returns the offset after it. */
  const readNumber = (start: number): number => {
    let j = start;
    if (text.charCodeAt(j) === 0x2d) j++;
    if (text.charCodeAt(j) === 0x30) j++;
    else if (isDigit(text.charCodeAt(j))) while (isDigit(text.charCodeAt(j))) j++;
    else throw new SyntaxProblem(j, `expected a digit, found ${describeChar(text, j)}`);
    if (text.charCodeAt(j) === 0x2e) {
      j++;
      if (!isDigit(text.charCodeAt(j)))
        throw new SyntaxProblem(j, `expected a digit after the decimal point, found ${describeChar(text, j)}`);
      while (isDigit(text.charCodeAt(j))) j++;
    }
    if (text.charCodeAt(j) === 0x65 || text.charCodeAt(j) === 0x45) {
      j++;
      if (text.charCodeAt(j) === 0x2b || text.charCodeAt(j) === 0x2d) j++;
      if (!isDigit(text.charCodeAt(j)))
        throw new SyntaxProblem(j, `expected a digit in the exponent, found ${describeChar(text, j)}`);
      while (isDigit(text.charCodeAt(j))) j++;
    }
    return j;
  };

  const open = (kind: 'object' | 'array', at: number): boolean => {
    if (stack.length + 1 > limits.maxDepth) {
      errors.push(
        E.SPEC_TOO_LARGE(`the spec nests objects and arrays deeper than ${limits.maxDepth} levels`, {
          pointer: pointerOf(stack),
          expected: `at most ${limits.maxDepth} levels of nesting`,
          offset: at,
        }),
      );
      return false;
    }
    stack.push({ kind, index: 0, key: undefined, keys: kind === 'object' ? new Set() : undefined });
    return true;
  };

  const checkStringLength = (start: number, end: number, what: string): void => {
    const length = end - start - 2;
    if (length > limits.maxStringLength) {
      errors.push(
        E.SPEC_TOO_LARGE(
          `${what} at ${pointerOf(stack) || 'the top'} is ${length} characters long; the limit is ${limits.maxStringLength}`,
          {
            pointer: pointerOf(stack),
            expected: `at most ${limits.maxStringLength} characters`,
          },
        ),
      );
    }
  };

  /** Handles a key string; returns false when scanning must stop. */
  const readKey = (start: number, end: number, frame: Frame): boolean => {
    const raw = text.slice(start, end);
    // Keys are short in any real spec; a long one is reported by length and not decoded.
    const key =
      end - start - 2 > limits.maxStringLength
        ? raw.slice(1, 64)
        : raw.includes('\\')
          ? (JSON.parse(raw) as string)
          : raw.slice(1, -1);
    frame.key = key;
    checkStringLength(start, end, 'a key');
    if (++totalKeys > limits.maxKeys) {
      errors.push(
        E.SPEC_TOO_LARGE(`the spec has more than ${limits.maxKeys} keys`, {
          pointer: pointerOf(stack),
          expected: `at most ${limits.maxKeys} keys`,
        }),
      );
      return false;
    }
    if (FORBIDDEN_KEYS.has(key)) {
      errors.push(
        E.SPEC_FORBIDDEN_KEY(
          `the key "${key}" at ${pointerOf(stack)} is not allowed: JavaScript gives it a special meaning; rename it`,
          {
            pointer: pointerOf(stack),
            expected: 'a key other than __proto__, constructor and prototype',
          },
        ),
      );
    } else if (frame.keys!.has(key)) {
      errors.push(
        E.SPEC_DUPLICATE_KEY(
          `the key "${key}" appears twice in the same object at ${pointerOf(stack)}; only one may stay`,
          {
            pointer: pointerOf(stack),
            expected: 'each key once per object',
          },
        ),
      );
    } else {
      frame.keys!.add(key);
    }
    return true;
  };

  try {
    while (errors.length < MAX_REPORTED) {
      while (i < n && isWhitespace(text.charCodeAt(i))) i++;
      const top = stack[stack.length - 1];
      if (i >= n) {
        if (state === 'afterValue' && stack.length === 0) break;
        const missing = top === undefined ? 'a value' : top.kind === 'object' ? 'a closing }' : 'a closing ]';
        throw new SyntaxProblem(n, `the text ends early; expected ${missing}`);
      }
      const c = text.charCodeAt(i);
      if (state === 'value' || state === 'arrayStart') {
        if (state === 'arrayStart' && c === 0x5d) {
          stack.pop();
          state = 'afterValue';
          i++;
        } else if (c === 0x7b || c === 0x5b) {
          if (!open(c === 0x7b ? 'object' : 'array', i)) break;
          state = c === 0x7b ? 'objectStart' : 'arrayStart';
          i++;
        } else if (c === 0x22) {
          const end = readString(i);
          checkStringLength(i, end, 'a string');
          i = end;
          state = 'afterValue';
        } else if (c === 0x2d || isDigit(c)) {
          const end = readNumber(i);
          if (!Number.isFinite(Number(text.slice(i, end)))) {
            errors.push(
              E.SPEC_INVALID(`the number at ${pointerOf(stack) || 'the top'} is too large to represent`, {
                pointer: pointerOf(stack),
                expected: 'a finite number',
              }),
            );
          }
          i = end;
          state = 'afterValue';
        } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
          i += 4;
          state = 'afterValue';
        } else if (text.startsWith('false', i)) {
          i += 5;
          state = 'afterValue';
        } else if (c === 0x2c && state === 'arrayStart') {
          throw new SyntaxProblem(i, 'expected a value or ], found ","');
        } else if (c === 0x5d && top?.kind === 'array') {
          throw new SyntaxProblem(i, 'a trailing comma is not allowed in JSON');
        } else {
          throw new SyntaxProblem(i, `expected a value, found ${describeChar(text, i)}`);
        }
      } else if (state === 'objectStart' || state === 'key') {
        if (c === 0x7d && state === 'objectStart') {
          stack.pop();
          state = 'afterValue';
          i++;
        } else if (c === 0x22) {
          const end = readString(i);
          if (!readKey(i, end, top)) break;
          i = end;
          state = 'colon';
        } else if (c === 0x7d) {
          throw new SyntaxProblem(i, 'a trailing comma is not allowed in JSON');
        } else {
          throw new SyntaxProblem(
            i,
            `expected a double-quoted key${state === 'objectStart' ? ' or }' : ''}, found ${describeChar(text, i)}`,
          );
        }
      } else if (state === 'colon') {
        if (c !== 0x3a) throw new SyntaxProblem(i, `expected ":" after the key, found ${describeChar(text, i)}`);
        state = 'value';
        i++;
      } else {
        if (top === undefined)
          throw new SyntaxProblem(i, `unexpected ${describeChar(text, i)} after the end of the spec`);
        const close = top.kind === 'object' ? 0x7d : 0x5d;
        if (c === 0x2c) {
          if (top.kind === 'array') {
            top.index++;
            state = 'value';
          } else {
            top.key = undefined;
            state = 'key';
          }
          i++;
        } else if (c === close) {
          stack.pop();
          i++;
        } else {
          throw new SyntaxProblem(
            i,
            `expected "," or "${top.kind === 'object' ? '}' : ']'}", found ${describeChar(text, i)}`,
          );
        }
      }
    }
  } catch (problem) {
    if (!(problem instanceof SyntaxProblem)) throw problem;
    errors.push(syntax(problem.offset, problem.message));
  }
  return errors;
}

/**
 * Checks a value given as an object (not as text) the way the text scan checks JSON text, and
 * returns a fresh copy made of plain objects and arrays. The walk is iterative and stops at the depth
 * cap, so cycles and very deep nesting end in an error, not a stack overflow; a size budget stops
 * values that share sub-objects many times over (a tree of shared references grows exponentially
 * when written out). Non-JSON values (undefined, functions, NaN, Dates, class instances) are errors.
 */
import { E } from '../errors/runtime-errors.js';
import type { RecurError } from '../errors/recur-error.js';
import { childPointer } from './json-pointer.js';
import { FORBIDDEN_KEYS } from './limits.js';
import type { SpecLimits } from './spec-types.js';

export interface SanitizedValue {
  /** The copy; present unless a problem other than a reserved key stopped the walk. */
  readonly value: unknown;
  readonly errors: RecurError[];
}

interface Task {
  readonly source: unknown;
  readonly pointer: string;
  readonly depth: number;
  /** Stores the copy in its parent. */
  readonly assign: (copy: unknown) => void;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Describes a value that JSON cannot hold, for the error message. */
function nonJsonKind(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : String(value);
    case 'object':
      if (value === null || Array.isArray(value) || isPlainObject(value)) return undefined;
      return `an instance of ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'a class'}`;
    default:
      return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
  }
}

export function sanitizeJsonValue(input: unknown, limits: SpecLimits): SanitizedValue {
  const errors: RecurError[] = [];
  let root: unknown;
  let budget = limits.maxBytes;
  let keys = 0;
  const tasks: Task[] = [{ source: input, pointer: '', depth: 0, assign: (copy) => (root = copy) }];
  try {
    while (tasks.length > 0 && errors.length < 50) {
      const { source, pointer, depth, assign } = tasks.pop()!;
      const bad = nonJsonKind(source);
      if (bad !== undefined) {
        errors.push(
          E.SPEC_INVALID(`${pointer || 'the spec'} is ${bad}, which JSON cannot hold`, {
            pointer,
            expected: 'a JSON value',
          }),
        );
        continue;
      }
      if (typeof source === 'string') {
        budget -= source.length + 2;
        if (source.length > limits.maxStringLength) {
          errors.push(
            E.SPEC_TOO_LARGE(
              `the string at ${pointer || 'the top'} is ${source.length} characters long; the limit is ${limits.maxStringLength}`,
              { pointer, expected: `at most ${limits.maxStringLength} characters` },
            ),
          );
        }
        assign(source);
      } else if (typeof source !== 'object' || source === null) {
        budget -= 5;
        assign(source);
      } else {
        if (depth + 1 > limits.maxDepth) {
          errors.push(
            E.SPEC_TOO_LARGE(
              `the spec nests objects and arrays deeper than ${limits.maxDepth} levels (or contains a cycle)`,
              { pointer, expected: `at most ${limits.maxDepth} levels of nesting` },
            ),
          );
          break;
        }
        budget -= 2;
        if (Array.isArray(source)) {
          // Every item takes at least a byte when written out; checked before anything is allocated,
          // so a sparse array with a huge length costs nothing.
          budget -= source.length;
          if (budget < 0) {
            errors.push(
              E.SPEC_TOO_LARGE(`the spec is larger than ${limits.maxBytes} bytes when written as JSON`, {
                pointer,
                expected: `at most ${limits.maxBytes} bytes`,
              }),
            );
            break;
          }
          const copy: unknown[] = new Array<unknown>(source.length);
          assign(copy);
          for (let i = source.length - 1; i >= 0; i--) {
            tasks.push({
              source: source[i],
              pointer: childPointer(pointer, i),
              depth: depth + 1,
              assign: (v) => (copy[i] = v),
            });
          }
        } else {
          const copy: Record<string, unknown> = {};
          assign(copy);
          const own = Object.keys(source);
          for (let k = own.length - 1; k >= 0; k--) {
            const key = own[k];
            const at = childPointer(pointer, key);
            budget -= key.length + 3;
            if (++keys > limits.maxKeys) {
              errors.push(
                E.SPEC_TOO_LARGE(`the spec has more than ${limits.maxKeys} keys`, {
                  pointer,
                  expected: `at most ${limits.maxKeys} keys`,
                }),
              );
              return { value: undefined, errors };
            }
            if (FORBIDDEN_KEYS.has(key)) {
              errors.push(
                E.SPEC_FORBIDDEN_KEY(
                  `the key "${key}" at ${at} is not allowed: JavaScript gives it a special meaning; rename it`,
                  { pointer: at, expected: 'a key other than __proto__, constructor and prototype' },
                ),
              );
              continue;
            }
            if (key.length > limits.maxStringLength) {
              errors.push(
                E.SPEC_TOO_LARGE(
                  `a key at ${pointer || 'the top'} is ${key.length} characters long; the limit is ${limits.maxStringLength}`,
                  { pointer, expected: `at most ${limits.maxStringLength} characters` },
                ),
              );
              continue;
            }
            const child = (source as Record<string, unknown>)[key];
            tasks.push({
              source: child,
              pointer: at,
              depth: depth + 1,
              assign: (v) =>
                Object.defineProperty(copy, key, { value: v, enumerable: true, writable: true, configurable: true }),
            });
          }
        }
      }
      if (budget < 0) {
        errors.push(
          E.SPEC_TOO_LARGE(`the spec is larger than ${limits.maxBytes} bytes when written as JSON`, {
            pointer: '',
            expected: `at most ${limits.maxBytes} bytes`,
          }),
        );
        break;
      }
    }
  } catch (cause) {
    // A getter or a proxy threw while being read.
    errors.push(
      E.SPEC_INVALID(
        'the spec could not be read as plain JSON data',
        { pointer: '', expected: 'a JSON value' },
        { cause },
      ),
    );
  }
  // Reserved keys were skipped above; like the text scan, they do not stop validation of the rest.
  return errors.every((e) => e.code === E.SPEC_FORBIDDEN_KEY.code)
    ? { value: root, errors }
    : { value: undefined, errors };
}

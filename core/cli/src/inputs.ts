import { RecurError, RuntimeErrors as E } from '@recur/runtime';
import { inputLines, readBoundedText } from './input-lines.js';

/**
 * How an input file holds its inputs: `.json` one array of them (as `pipelines/*.examples.json`),
 * `.jsonl` one JSON string or `{"text"}` object per line, anything else one text per line.
 */
export type InputFormat = 'json' | 'jsonl' | 'text';

/** One line of an input file as written, with its 1-based number. */
export interface RawInputLine {
  readonly line: number;
  readonly raw: string;
}

export function inputFormat(path: string): InputFormat {
  return path.endsWith('.json') ? 'json' : path.endsWith('.jsonl') ? 'jsonl' : 'text';
}

/** A `.json` input is read whole; larger input sets belong in `.jsonl`, which is streamed. */
const MAX_JSON_INPUT_BYTES = 64 * 1024 * 1024;

/** The inputs of a file, in order, decoded; a bad line is RECUR_E_INPUT_INVALID naming it. */
export async function* readInputs(input: string): AsyncGenerator<string> {
  const format = inputFormat(input);
  if (format === 'json') {
    yield* await readJsonArrayInputs(input);
    return;
  }
  for await (const { line, raw } of readRawLines(input)) yield decodeInput(raw, format, input, line);
}

/**
 * The lines of a `.jsonl` or text file as written, without decoding them: `recur run --queue`
 * ships them so that a bad line is found (and reported with its number) where its chunk runs.
 */
export async function* readRawLines(input: string): AsyncGenerator<RawInputLine> {
  // Bounded line length and strict UTF-8, each refused with the line number (input-lines.ts).
  for await (const { text, line } of inputLines(input)) yield { line, raw: text };
}

/** One line's input: the line itself for text files; a JSON string or `{"text"}` object for `.jsonl`. */
export function decodeInput(raw: string, format: Exclude<InputFormat, 'json'>, file: string, line: number): string {
  if (format === 'text') return raw;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw E.INPUT_INVALID(`line ${line} is not JSON: ${(err as Error).message}`, {
      file,
      line,
      expected: 'a JSON string or {"text": ...} per line',
    });
  }
  const text = inputText(value);
  if (text === undefined)
    throw E.INPUT_INVALID(`line ${line} must hold a JSON string or an object with "text"`, {
      file,
      line,
      expected: 'a JSON string or {"text": ...}',
    });
  return text;
}

/** A `.json` input file: an array of inputs (strings or `{"text"}` objects). */
export async function readJsonArrayInputs(input: string): Promise<string[]> {
  const text = await readBoundedText(
    input,
    MAX_JSON_INPUT_BYTES,
    'a .json input is read whole; use a .jsonl file (one input per line) for large inputs',
  );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw E.INPUT_INVALID(`${input} is not JSON: ${(err as Error).message}`, {
      file: input,
      expected: 'a JSON array of inputs (or use .jsonl / .txt for one input per line)',
    });
  }
  if (!Array.isArray(value))
    throw E.INPUT_INVALID(`${input} must hold a JSON array of inputs`, {
      file: input,
      expected: '["first input", "second input"]',
    });
  return value.map((item, i) => {
    const text = inputText(item);
    if (text === undefined)
      throw E.INPUT_INVALID(`${input}: the input at /${i} must be a string or an object with "text"`, {
        file: input,
        pointer: `/${i}`,
        expected: 'a JSON string or {"text": ...}',
      });
    return text;
  });
}

/** The text of one input: a string, or an object's `text`; undefined for anything else. */
function inputText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const text = value && typeof value === 'object' ? (value as Record<string, unknown>)['text'] : undefined;
  return typeof text === 'string' ? text : undefined;
}

/**
 * An error about one input of a batch (`pointer` `/i`) with the input's place in the file: its line
 * (one input per line in text and `.jsonl` files) or its index in a `.json` array.
 */
export function withInputLine(err: unknown, file: string, before: number): unknown {
  const at = RecurError.is(err) && typeof err.pointer === 'string' ? /^\/(\d+)$/.exec(err.pointer) : null;
  if (!at || !RecurError.is(err)) return err;
  const index = before + Number(at[1]);
  const where = file.endsWith('.json') ? { file, pointer: `/${index}` } : { file, line: index + 1 };
  const place = file.endsWith('.json') ? `the input at /${index} of ${file}` : `line ${index + 1} of ${file}`;
  return new RecurError(
    err.code,
    `${place}: ${err.message.replace(/^(input|prompt) \d+ /, 'the input ')}`,
    { ...err.details, ...where },
    err.exitCode,
    { cause: err, httpStatus: err.httpStatus },
  );
}

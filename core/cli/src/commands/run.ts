import { createReadStream } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { consoleLogger, load, RecurError, RuntimeErrors as E, type Pipeline, type PluginRegistry } from '@recur/runtime';
import { parse, positional, SPEC_OPTIONS } from '../args.js';
import { reportFailure, type CommandIO } from '../io.js';

export const USAGE = 'recur run SPEC (--text TEXT | --input FILE --output FILE.jsonl) [--options JSON] [--top-k N] [--set path=value]... [--allow-plugin MODULE]...';

/** What `recur run --help` adds to the synopsis. */
export const DETAILS = `--options JSON   the task's call options as one JSON object, as run(input, options) takes them in the library
                 and the "options" of POST /v1/pipelines/NAME. They are checked before anything runs: an unknown
                 key is RECUR_E_OPTION_UNKNOWN (with the nearest known key), a bad value RECUR_E_OPTION_INVALID.
                   text-classification  {"topK": 2}  (null: every label), {"truncation": "off"}, {"maxInputTokens": 128}
                   text-generation      {"maxNewTokens": 80, "minNewTokens": 10, "temperature": 0.8, "topK": 40,
                                         "topP": 0.9, "repetitionPenalty": 1.1, "stop": ["\\n\\n"], "seed": 1,
                                         "returnFullText": false}
                   translation          {"beam": 5, "numReturnSequences": 2, "lengthPenalty": 1, "maxLength": 64}
                 Every option of every task: docs/reference/spec.md, "Tasks".
--top-k N|all    shorthand for {"topK": N} (classification).
--input FILE     one input per line (.txt), one JSON string or {"text"} per line (.jsonl), or a JSON array (.json).
An input longer than the pipeline's token limit is cut with a warning on stderr; {"truncation": "off"} refuses it.
An empty or whitespace-only input: classification refuses it (RECUR_E_INPUT_EMPTY), translation answers "",
generation continues from the start of a text.`;

/**
 * `recur run`: one input from --text (the result JSON on stdout), or a file of inputs, one per line
 * (a `.jsonl` file holds one JSON string, or an object with `text`, per line; a `.json` file holds one
 * array of them) to a JSONL file of results in the same order. Inputs are batched; the output appears only when every line succeeded.
 */
export async function runCommand(argv: readonly string[], io: CommandIO, registry: PluginRegistry): Promise<number> {
  let json = false;
  try {
    const { values, positionals } = parse(
      argv,
      { ...SPEC_OPTIONS, text: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' }, options: { type: 'string' }, 'top-k': { type: 'string' } },
      USAGE,
    );
    json = values.json === true;
    const specPath = resolve(io.cwd, positional(positionals, 'spec file', USAGE));
    const hasText = values.text !== undefined;
    const hasFile = values.input !== undefined;
    if (hasText === hasFile) throw E.USAGE(`give either --text or --input\nusage: ${USAGE}`, { expected: USAGE });
    if (hasFile && values.output === undefined) throw E.USAGE(`--input needs --output FILE.jsonl\nusage: ${USAGE}`, { expected: USAGE });
    const callOptions = callOptionsFrom(values.options, values['top-k']);

    const pipeline = await load(specPath, {
      registry,
      logger: consoleLogger(undefined, io.stderr),
      allowPlugins: values['allow-plugin'] ?? [],
      ...(values.set ? { overrides: values.set } : {}),
      ...(values['allow-root'] ? { allowRoots: values['allow-root'].map((r) => resolve(io.cwd, r)) } : {}),
    });
    try {
      if (hasText) {
        io.stdout.write(JSON.stringify(await pipeline.run(values.text, callOptions), null, 2) + '\n');
      } else {
        const count = await runFile(pipeline, resolve(io.cwd, values.input!), resolve(io.cwd, values.output!), callOptions);
        io.stderr.write(`${count} result${count === 1 ? '' : 's'} written to ${values.output}\n`);
      }
    } finally {
      await pipeline.dispose();
    }
    return 0;
  } catch (err) {
    return reportFailure(err, io, json);
  }
}

function callOptionsFrom(text: string | undefined, topK: string | undefined): Record<string, unknown> {
  let options: Record<string, unknown> = {};
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw E.USAGE(`--options must be a JSON object: ${(err as Error).message}`, { expected: '{"topK": 2}' });
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw E.USAGE('--options must be a JSON object', { expected: '{"topK": 2}' });
    options = Object.fromEntries(Object.entries(parsed).filter(([k]) => k !== '__proto__' && k !== 'constructor' && k !== 'prototype'));
  }
  if (topK !== undefined) {
    if (topK === 'all') options['topK'] = null;
    else if (/^[1-9][0-9]*$/.test(topK)) options['topK'] = Number(topK);
    else throw E.USAGE(`--top-k must be a positive integer or "all", got ${topK}`, { expected: 'N | all' });
  }
  return options;
}

/** A `.json` input is read whole; larger input sets belong in `.jsonl`, which is streamed. */
const MAX_JSON_INPUT_BYTES = 64 * 1024 * 1024;

/** A `.json` input file: an array of inputs (strings or `{"text"}` objects), as `pipelines/*.examples.json`. */
async function readJsonArrayInputs(input: string): Promise<string[]> {
  const size = (await stat(input)).size;
  if (size > MAX_JSON_INPUT_BYTES) {
    throw E.INPUT_INVALID(`${input} is ${size} bytes; a .json input is read whole, up to ${MAX_JSON_INPUT_BYTES}`, { file: input, expected: 'a .jsonl file (one input per line) for large inputs', limit: MAX_JSON_INPUT_BYTES });
  }
  let value: unknown;
  try {
    value = JSON.parse(await readFile(input, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== undefined) throw err;
    throw E.INPUT_INVALID(`${input} is not JSON: ${(err as Error).message}`, { file: input, expected: 'a JSON array of inputs (or use .jsonl / .txt for one input per line)' });
  }
  if (!Array.isArray(value)) throw E.INPUT_INVALID(`${input} must hold a JSON array of inputs`, { file: input, expected: '["first input", "second input"]' });
  return value.map((item, i) => {
    const text = inputText(item);
    if (text === undefined) throw E.INPUT_INVALID(`${input}: the input at /${i} must be a string or an object with "text"`, { file: input, pointer: `/${i}`, expected: 'a JSON string or {"text": ...}' });
    return text;
  });
}

/** The inputs of a file, in order: a `.json` array, `.jsonl` values, or the lines of a text file. */
async function* readInputs(input: string): AsyncGenerator<unknown> {
  if (input.endsWith('.json')) {
    yield* await readJsonArrayInputs(input);
    return;
  }
  const jsonl = input.endsWith('.jsonl');
  const stream = createReadStream(input, { encoding: 'utf8' });
  try {
    let lineNo = 0;
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      lineNo += 1;
      yield jsonl ? parseJsonlInput(line, input, lineNo) : line;
    }
  } finally {
    stream.destroy();
  }
}

async function runFile(pipeline: Pipeline, input: string, output: string, options: Record<string, unknown>): Promise<number> {
  const batchSize = Number((pipeline.spec['runtime'] as Record<string, unknown> | undefined)?.['maxBatch'] ?? 64) || 64;
  const tmp = `${output}.${process.pid}.partial`;
  const out = await open(tmp, 'w');
  let count = 0;
  try {
    let batch: unknown[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const results = (await pipeline.run(batch, options).catch((err: unknown) => {
        throw withInputLine(err, input, count);
      })) as unknown[];
      await out.write(results.map((r) => JSON.stringify(r)).join('\n') + '\n');
      count += batch.length;
      batch = [];
    };
    for await (const item of readInputs(input)) {
      batch.push(item);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    await out.close();
    await rename(tmp, output);
    return count;
  } catch (err) {
    await out.close().catch(() => undefined);
    await rm(tmp, { force: true });
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw E.PATH_NOT_FOUND(`input file ${input} does not exist`, { file: input });
    throw err;
  }
}

/**
 * An error about one input of a batch (`pointer` `/i`) with the input's place in the file: its line
 * (one input per line in text and `.jsonl` files) or its index in a `.json` array.
 */
function withInputLine(err: unknown, file: string, before: number): unknown {
  const at = RecurError.is(err) && typeof err.pointer === 'string' ? /^\/(\d+)$/.exec(err.pointer) : null;
  if (!at || !RecurError.is(err)) return err;
  const index = before + Number(at[1]);
  const where = file.endsWith('.json') ? { file, pointer: `/${index}` } : { file, line: index + 1 };
  const place = file.endsWith('.json') ? `the input at /${index} of ${file}` : `line ${index + 1} of ${file}`;
  return new RecurError(err.code, `${place}: ${err.message.replace(/^(input|prompt) \d+ /, 'the input ')}`, { ...err.details, ...where }, err.exitCode, { cause: err });
}

/** The text of one input: a string, or an object's `text`; undefined for anything else. */
function inputText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const text = value && typeof value === 'object' ? (value as Record<string, unknown>)['text'] : undefined;
  return typeof text === 'string' ? text : undefined;
}

function parseJsonlInput(line: string, file: string, lineNo: number): string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw E.INPUT_INVALID(`line ${lineNo} is not JSON: ${(err as Error).message}`, { file, line: lineNo, expected: 'a JSON string or {"text": ...} per line' });
  }
  const text = inputText(value);
  if (text === undefined) throw E.INPUT_INVALID(`line ${lineNo} must hold a JSON string or an object with "text"`, { file, line: lineNo, expected: 'a JSON string or {"text": ...}' });
  return text;
}

import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { load, outputTarget, RuntimeErrors as E, type Pipeline, type PluginRegistry } from '@recur/runtime';
import { parse, positional, SPEC_OPTIONS } from '../args.js';
import { checkInputPath, inputLines, readBoundedText } from '../input-lines.js';
import { reportFailure, type CommandIO } from '../io.js';
import { removeOnSignal } from '../remove-on-signal.js';

export const USAGE = 'recur run SPEC (--text TEXT | --input FILE --output FILE.jsonl) [--options JSON] [--top-k N] [--strict-provenance] [--set path=value]... [--allow-plugin MODULE]...';

/**
 * `recur run`: one input from --text (the result JSON on stdout), or a file of inputs, one per line
 * (a `.jsonl` file holds one JSON string, or an object with `text`, per line; a `.json` file holds one
 * array of them) to a JSONL file of results in the same order. Inputs are batched; a regular output
 * file appears only when every line succeeded (a device or FIFO is written as results come).
 */
export async function runCommand(argv: readonly string[], io: CommandIO, registry: PluginRegistry): Promise<number> {
  let json = false;
  try {
    const { values, positionals } = parse(
      argv,
      { ...SPEC_OPTIONS, text: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' }, options: { type: 'string' }, 'top-k': { type: 'string' }, 'strict-provenance': { type: 'boolean' } },
      USAGE,
    );
    json = values.json === true;
    const specPath = resolve(io.cwd, positional(positionals, 'spec file', USAGE));
    const hasText = values.text !== undefined;
    const hasFile = values.input !== undefined;
    if (hasText === hasFile) throw E.USAGE(`give either --text or --input\nusage: ${USAGE}`, { expected: USAGE });
    if (hasFile && values.output === undefined) throw E.USAGE(`--input needs --output FILE.jsonl\nusage: ${USAGE}`, { expected: USAGE });
    const callOptions = callOptionsFrom(values.options, values['top-k']);
    // Input and output paths are checked before the pipeline loads: a typo costs no load time.
    if (hasFile) {
      await checkInputPath(resolve(io.cwd, values.input!));
      await outputTarget(resolve(io.cwd, values.output!), 'output file', true);
    }

    const pipeline = await load(specPath, {
      registry,
      allowPlugins: values['allow-plugin'] ?? [],
      ...(values['strict-provenance'] ? { strictProvenance: true } : {}),
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
  const text = await readBoundedText(input, MAX_JSON_INPUT_BYTES, 'a .json input is read whole; use a .jsonl file (one input per line) for large inputs');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
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
  for await (const { text, line } of inputLines(input)) yield jsonl ? parseJsonlInput(text, input, line) : text;
}

/**
 * Where results go while they are written: a regular file's results go to a `.partial` sibling,
 * renamed over it only when every line succeeded (and removed on failure, Ctrl-C or SIGTERM); a
 * character device or FIFO (`/dev/stdout`, a named pipe) is written through as results come.
 */
async function openOutput(output: string): Promise<{ handle: FileHandle; commit(): Promise<void>; abandon(): Promise<void> }> {
  const target = await outputTarget(output, 'output file', true);
  if (!target.regular) {
    const handle = await openForWrite(target.path, output);
    return { handle, commit: () => handle.close(), abandon: () => handle.close().catch(() => undefined) };
  }
  const tmp = `${target.path}.${process.pid}.partial`;
  const done = removeOnSignal(tmp);
  let handle: FileHandle;
  try {
    handle = await openForWrite(tmp, output);
  } catch (err) {
    done();
    throw err;
  }
  return {
    handle,
    async commit() {
      try {
        await handle.close();
        await rename(tmp, target.path);
      } catch (err) {
        await rm(tmp, { force: true });
        throw E.IO(`cannot write ${output}: ${(err as Error).message}`, { file: output }, { cause: err });
      } finally {
        done();
      }
    },
    async abandon() {
      await handle.close().catch(() => undefined);
      await rm(tmp, { force: true });
      done();
    },
  };
}

async function openForWrite(path: string, output: string): Promise<FileHandle> {
  try {
    return await open(path, 'w');
  } catch (err) {
    throw E.IO(`cannot write ${output}: ${(err as Error).message}`, { file: output }, { cause: err });
  }
}

async function runFile(pipeline: Pipeline, input: string, output: string, options: Record<string, unknown>): Promise<number> {
  const batchSize = Number((pipeline.spec['runtime'] as Record<string, unknown> | undefined)?.['maxBatch'] ?? 64) || 64;
  const out = await openOutput(output);
  let count = 0;
  try {
    let batch: unknown[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const results = (await pipeline.run(batch, options)) as unknown[];
      const text = results.map((r) => JSON.stringify(r)).join('\n') + '\n';
      try {
        await out.handle.write(text);
      } catch (err) {
        throw E.IO(`cannot write ${output}: ${(err as Error).message}`, { file: output }, { cause: err });
      }
      count += batch.length;
      batch = [];
    };
    for await (const item of readInputs(input)) {
      batch.push(item);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } catch (err) {
    await out.abandon();
    throw err;
  }
  await out.commit();
  return count;
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

import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { consoleLogger, load, RuntimeErrors as E, type Pipeline, type PluginRegistry } from '@recur/runtime';
import { outputTarget } from '@recur/runtime/internal';
import { parse, positional, positiveInt, SPEC_OPTIONS } from '../args.js';
import { checkInputPath } from '../input-lines.js';
import { readInputs, withInputLine } from '../inputs.js';
import { pipelineFingerprint } from '../queue/fingerprint.js';
import { parseQueueUrl } from '../queue/queue-url.js';
import { reportFailure, type CommandIO } from '../io.js';
import { removeOnSignal } from '../remove-on-signal.js';

export const USAGE =
  'recur run SPEC (--text TEXT | --input FILE --output FILE.jsonl [--queue redis://HOST:PORT[/DB] [--chunk N] [--in-flight N]]) [--options JSON] [--top-k N] [--strict-provenance] [--set path=value]... [--allow-plugin MODULE]...';

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
--strict-provenance  refuse weights that record another spec or tokenizer than the ones loaded (RECUR_E_WEIGHTS_PROVENANCE).
--input FILE     one input per line (.txt), one JSON string or {"text"} per line (.jsonl), or a JSON array (.json).
--queue URL      split --input into chunk jobs (--chunk N lines, --in-flight N chunks) on Redis for recur worker
                 processes; results in input order, resumable (docs/guides/deploy.md).
An input longer than the pipeline's token limit is cut with a warning on stderr; {"truncation": "off"} refuses it.
An empty or whitespace-only input: classification refuses it (RECUR_E_INPUT_EMPTY), translation answers "",
generation continues from the start of a text.`;

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
      {
        ...SPEC_OPTIONS,
        text: { type: 'string' },
        input: { type: 'string' },
        output: { type: 'string' },
        options: { type: 'string' },
        'top-k': { type: 'string' },
        queue: { type: 'string' },
        chunk: { type: 'string' },
        'in-flight': { type: 'string' },
        'strict-provenance': { type: 'boolean' },
      },
      USAGE,
    );
    json = values.json === true;
    const specPath = resolve(io.cwd, positional(positionals, 'spec file', USAGE));
    const hasText = values.text !== undefined;
    const hasFile = values.input !== undefined;
    if (hasText === hasFile) throw E.USAGE(`give either --text or --input\nusage: ${USAGE}`, { expected: USAGE });
    if (hasFile && values.output === undefined)
      throw E.USAGE(`--input needs --output FILE.jsonl\nusage: ${USAGE}`, { expected: USAGE });
    const callOptions = callOptionsFrom(values.options, values['top-k']);
    if (values.queue === undefined && (values.chunk !== undefined || values['in-flight'] !== undefined))
      throw E.USAGE(`--chunk and --in-flight go with --queue\nusage: ${USAGE}`, { expected: USAGE });
    if (values.queue !== undefined && !hasFile)
      throw E.USAGE(`--queue runs an --input file\nusage: ${USAGE}`, { expected: USAGE });
    const queue =
      values.queue !== undefined
        ? {
            address: parseQueueUrl(values.queue),
            chunk: positiveInt('chunk', values.chunk, 1000),
            inFlight: positiveInt('in-flight', values['in-flight'], 16),
          }
        : undefined;
    // Input and output paths are checked before the pipeline loads: a typo costs no load time.
    if (hasFile) {
      await checkInputPath(resolve(io.cwd, values.input!));
      await outputTarget(resolve(io.cwd, values.output!), 'output file', true);
    }

    const pipeline = await load(specPath, {
      registry,
      logger: consoleLogger(undefined, io.stderr),
      allowPlugins: values['allow-plugin'] ?? [],
      ...(values['strict-provenance'] ? { strictProvenance: true } : {}),
      ...(values.set ? { overrides: values.set } : {}),
      ...(values['allow-root'] ? { allowRoots: values['allow-root'].map((r) => resolve(io.cwd, r)) } : {}),
    });
    try {
      if (hasText) {
        io.stdout.write(JSON.stringify(await pipeline.run(values.text, callOptions), null, 2) + '\n');
      } else if (queue) {
        // The pipeline is loaded here only for its fingerprint: workers run the chunks.
        const fingerprint = await pipelineFingerprint(pipeline);
        await pipeline.dispose();
        const input = resolve(io.cwd, values.input!);
        // BullMQ is loaded only by the commands that use it: it adds half a second to every start.
        const { runOnQueue } = await import('../queue/queue-producer.js');
        const count = await runOnQueue({
          ...queue,
          pipeline: pipeline.name,
          fingerprint,
          input,
          output: resolve(io.cwd, values.output!),
          options: callOptions,
          progress: io.stderr,
        });
        io.stderr.write(`${count} result${count === 1 ? '' : 's'} written to ${values.output}\n`);
      } else {
        const count = await runFile(
          pipeline,
          resolve(io.cwd, values.input!),
          resolve(io.cwd, values.output!),
          callOptions,
        );
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
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw E.USAGE('--options must be a JSON object', { expected: '{"topK": 2}' });
    options = Object.fromEntries(
      Object.entries(parsed).filter(([k]) => k !== '__proto__' && k !== 'constructor' && k !== 'prototype'),
    );
  }
  if (topK !== undefined) {
    if (topK === 'all') options['topK'] = null;
    else if (/^[1-9][0-9]*$/.test(topK)) options['topK'] = Number(topK);
    else throw E.USAGE(`--top-k must be a positive integer or "all", got ${topK}`, { expected: 'N | all' });
  }
  return options;
}

/**
 * Where results go while they are written: a regular file's results go to a `.partial` sibling,
 * renamed over it only when every line succeeded (and removed on failure, Ctrl-C or SIGTERM); a
 * character device or FIFO (`/dev/stdout`, a named pipe) is written through as results come.
 */
async function openOutput(
  output: string,
): Promise<{ handle: FileHandle; commit(): Promise<void>; abandon(): Promise<void> }> {
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

async function runFile(
  pipeline: Pipeline,
  input: string,
  output: string,
  options: Record<string, unknown>,
): Promise<number> {
  const batchSize = Number((pipeline.spec['runtime'] as Record<string, unknown> | undefined)?.['maxBatch'] ?? 64) || 64;
  const out = await openOutput(output);
  let count = 0;
  try {
    let batch: unknown[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const results = (await pipeline.run(batch, options).catch((err: unknown) => {
        throw withInputLine(err, input, count);
      })) as unknown[];
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

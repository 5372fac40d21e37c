import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { posix, resolve } from 'node:path';
import { createRegistry } from '@recur/cli';
import {
  load,
  memoryLogger,
  OrtBackend,
  RuntimeErrors,
  TOKENS,
  type Backend,
  type FileHost,
  type Session,
} from '@recur/runtime';

/** A real OrtBackend whose sessions count their runs. */
function recordingBackend(): Backend & { runs: number; sessions: number } {
  const inner = new OrtBackend();
  const recording = {
    runs: 0,
    sessions: 0,
    async session(...args: Parameters<Backend['session']>): Promise<Session> {
      const session = await inner.session(...args);
      recording.sessions += 1;
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        executionProviders: session.executionProviders,
        run: (feeds, options) => {
          recording.runs += 1;
          return session.run(feeds, options);
        },
        release: () => session.release(),
      };
    },
    dispose: () => inner.dispose(),
  };
  return recording;
}

/** A file host that serves files from memory under `/virtual`, recording every read. */
function memoryFileHost(files: ReadonlyMap<string, Uint8Array>): FileHost & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    base: () => '/virtual',
    dirname: (location) => posix.dirname(location),
    resolve: (folder, ref) => posix.resolve(folder, ref),
    locate: (location) => Promise.resolve({ location, exists: files.has(location) }),
    contains: (root, location) => location === root || location.startsWith(`${root}/`),
    read(location, what, options = {}) {
      const bytes = files.get(location);
      if (!bytes) {
        const missing = options.missing ?? RuntimeErrors.IO;
        return Promise.reject(missing(`cannot read ${what} ${location}: no such file`, { file: location }));
      }
      reads.push(location);
      const offset = options.offset ?? 0;
      return Promise.resolve(bytes.subarray(offset, offset + (options.length ?? bytes.byteLength)));
    },
  };
}

const TEXT = 'a b c d e f g h';

describe('the pipeline container: services replaced for one pipeline', () => {
  it('loads pipelines/demo.json with a recording backend and a memory logger bound in its container; the parts use both', async () => {
    const backend = recordingBackend();
    const logger = memoryLogger();
    const pipeline = await load('pipelines/demo.json', {
      registry: createRegistry(),
      services: (c) => {
        c.rebind(TOKENS.backend).toConstantValue(backend);
        c.rebind(TOKENS.logger).toConstantValue(logger);
      },
    });
    try {
      assert.equal(backend.sessions, 1, 'the task opened its session on the replaced backend');
      assert.equal(backend.runs, 0);
      // Two tokens at most: the runner cuts the input and warns through the container's logger.
      const result = (await pipeline.run(TEXT, { maxInputTokens: 2 })) as { label: string; score: number }[];
      assert.equal(backend.runs, 1, 'the run went through the replaced backend');
      assert.equal(result.length > 0, true);
      assert.ok(
        logger.lines.some((l) => l.level === 'warn' && /longer than the limit of 2 tokens/.test(l.msg)),
        JSON.stringify(logger.lines),
      );
    } finally {
      await pipeline.dispose();
      await backend.dispose();
    }
  });

  it('reads the spec, its tokenizer and its weights through a file host replaced in the container', async () => {
    const files = new Map<string, Uint8Array>();
    for (const rel of ['demo.json', 'demo/tokenizer.json', 'demo/weights.safetensors']) {
      files.set(`/virtual/${rel}`, new Uint8Array(await readFile(resolve('pipelines', rel))));
    }
    const host = memoryFileHost(files);
    const registry = createRegistry();
    const fromMemory = await load('demo.json', {
      registry,
      services: (c) => c.rebind(TOKENS.fileHost).toConstantValue(host),
    });
    const fromDisk = await load('pipelines/demo.json', { registry });
    try {
      assert.deepEqual([...new Set(host.reads)].sort(), [...files.keys()].sort());
      assert.equal(fromMemory.specDir, '/virtual');
      // Weights parsed from memory (no extents) give the answers the on-disk external data gives.
      const [a, b] = [await fromMemory.run(TEXT), await fromDisk.run(TEXT)] as { label: string; score: number }[][];
      assert.equal(a[0]?.label, b[0]?.label);
      assert.ok(Math.abs((a[0]?.score ?? 0) - (b[0]?.score ?? 1)) < 1e-6);
    } finally {
      await fromMemory.dispose();
      await fromDisk.dispose();
    }
  });

  it('refuses a reference that leaves the spec folder of the replaced host, as the Node host does', async () => {
    const spec = JSON.parse(await readFile(resolve('pipelines/demo.json'), 'utf8')) as Record<string, unknown>;
    const files = new Map<string, Uint8Array>([
      ['/virtual/spec/demo.json', new TextEncoder().encode(JSON.stringify({ ...spec, weights: '../w.safetensors' }))],
      ['/virtual/w.safetensors', new Uint8Array(8)],
    ]);
    const err = await load('spec/demo.json', {
      registry: createRegistry(),
      services: (c) => c.rebind(TOKENS.fileHost).toConstantValue(memoryFileHost(files)),
    }).then(
      () => undefined,
      (e: unknown) => e as { code?: string; errors?: { code: string; pointer?: string }[] },
    );
    const outside = err?.errors?.find((e) => e.code === 'RECUR_E_PATH_OUTSIDE_ROOT');
    assert.equal(outside?.pointer, '/weights', JSON.stringify(err));
  });
});

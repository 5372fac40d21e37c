import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { createRegistry, load, type Pipeline, type TaskName } from '@recur/cli';
import { memoryLogger, RecurError } from '@recur/runtime';

// The shipped pipelines return what their tasks declare to TaskTypes (plugins/heads/src/task-types.ts);
// typed-results.types.ts checks the declarations themselves at compile time.

/** Loads a shipped spec typed by `task` before the suite's tests, disposes of it after them. */
function typedPipeline<T extends TaskName>(spec: string, task: T): () => Pipeline<T> {
  let pipeline: Pipeline<T> | undefined;
  before(async () => {
    pipeline = await load(resolve(spec), { registry: createRegistry(), task, logger: memoryLogger() });
  });
  after(async () => {
    await pipeline?.dispose();
  });
  return () => {
    assert.ok(pipeline, `${spec} is not loaded`);
    return pipeline;
  };
}

/** The item's own keys and value types, e.g. `label:string score:number`. */
const shape = (item: object) =>
  Object.entries(item)
    .map(([k, v]) => `${k}:${typeof v}`)
    .sort()
    .join(' ');

describe('typed task results: what run() declares is what the shipped pipelines return', function () {
  this.timeout(60_000);

  describe('text-classification (pipelines/sentiment.json)', () => {
    const p = typedPipeline('pipelines/sentiment.json', 'text-classification');

    it('one input gives [{label, score}]; a batch one bare {label, score} per input', async () => {
      const one = await p().run('A lovely film.');
      assert.equal(one.length, 1);
      assert.equal(shape(one[0]), 'label:string score:number');
      const batch = await p().run(['A lovely film.', 'A dull mess.']);
      assert.equal(batch.length, 2);
      for (const item of batch) assert.equal(shape(item), 'label:string score:number');
    });

    it('a batch with topK other than 1 gives an array of {label, score} per input', async () => {
      for (const topK of [2, null]) {
        const batch = await p().run(['A lovely film.'], { topK });
        assert.ok(Array.isArray(batch[0]), `topK ${String(topK)}`);
        assert.equal(batch[0].length, 2);
        for (const item of batch[0]) assert.equal(shape(item), 'label:string score:number');
      }
    });
  });

  describe('text-generation (pipelines/generation.json)', () => {
    const p = typedPipeline('pipelines/generation.json', 'text-generation');

    it('one prompt gives [{generated_text}]; a batch one such array per prompt', async () => {
      const one = await p().run('ROMEO:\n', { maxNewTokens: 5, seed: 1 });
      assert.deepEqual(one.map(shape), ['generated_text:string']);
      const batch = await p().run(['ROMEO:\n', 'JULIET:\n'], { maxNewTokens: 5, seed: 1 });
      assert.deepEqual(
        batch.map((list) => list.map(shape)),
        [['generated_text:string'], ['generated_text:string']],
      );
    });
  });

  describe('translation (pipelines/translation.json)', () => {
    const p = typedPipeline('pipelines/translation.json', 'translation');

    it('one text gives [{translation_text}]; a batch one bare item per text, or a list with numReturnSequences 2', async () => {
      const one = await p().run('Ein Hund läuft.');
      assert.deepEqual(one.map(shape), ['translation_text:string']);
      const batch = await p().run(['Ein Hund läuft.', 'Eine Frau trinkt Kaffee.']);
      assert.deepEqual(batch.map(shape), ['translation_text:string', 'translation_text:string']);
      const several = await p().run(['Ein Hund läuft.'], { beam: 3, numReturnSequences: 2 });
      assert.deepEqual(
        several.map((list) => list.map(shape)),
        [['translation_text:string', 'translation_text:string']],
      );
    });
  });

  it('load() refuses a spec of another task than the one asked for, with RECUR_E_TASK_MISMATCH', async () => {
    await assert.rejects(
      load(resolve('pipelines/sentiment.json'), { registry: createRegistry(), task: 'translation' }),
      (err: unknown) =>
        RecurError.is(err) &&
        err.code === 'RECUR_E_TASK_MISMATCH' &&
        err.pointer === '/task' &&
        /sentiment\.json is a "text-classification" pipeline, and load\(\) was asked for "translation"/.test(
          err.message,
        ),
    );
  });

  it('an alias names the same task (sentiment-analysis is text-classification)', async () => {
    const p = await load(resolve('pipelines/sentiment.json'), {
      registry: createRegistry(),
      task: 'sentiment-analysis',
    });
    try {
      assert.equal(p.task, 'text-classification');
      assert.equal(shape((await p.run('A lovely film.'))[0]), 'label:string score:number');
    } finally {
      await p.dispose();
    }
  });
});

import { strict as assert } from 'node:assert';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadedPipeline } from './loaded-pipeline.js';
import { runCli } from '../cli/run-cli.js';

type Generated = { generated_text: string }[];

const SPEC = resolve('pipelines/generation.json');

// Shakespeare's Sonnet 18 (public domain): verse, but not from the plays the model was trained on.
const SONNET = `Shall I compare thee to a summer's day?
Thou art more lovely and more temperate:
Rough winds do shake the darling buds of May,
And summer's lease hath all too short a date;
Sometime too hot the eye of heaven shines,
And often is his gold complexion dimm'd;
And every fair from fair sometime declines,
By chance or nature's changing course untrimm'd;
`;

/** The same characters in a scrambled order (a fixed permutation): no language left in it. */
function scrambled(text: string): string {
  const chars = [...text];
  let seed = 12345;
  for (let i = chars.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

async function natsPerChar(text: string): Promise<number> {
  const dir = await mkdtemp(join(resolve('test/dist'), 'tmp-shakespeare-'));
  const file = join(dir, 'text.txt');
  await writeFile(file, text);
  const r = await runCli(['eval', SPEC, '--data', file, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { value: number }).value;
}

describe('shipped pipeline: generation (shakespeare)', function () {
  this.timeout(60_000);
  const pipeline = loadedPipeline(SPEC);

  it('the same seed gives the same continuation twice, and it starts with the prompt', async () => {
    const options = { seed: 42, maxNewTokens: 60 };
    const a = (await pipeline().run('ROMEO:\n', options)) as Generated;
    const b = (await pipeline().run('ROMEO:\n', options)) as Generated;
    assert.equal(a[0].generated_text, b[0].generated_text);
    assert.ok(a[0].generated_text.startsWith('ROMEO:\n'));
    assert.ok(a[0].generated_text.length > 'ROMEO:\n'.length);
  });

  it("stops before the end of a speech (the spec's stop string) and writes words, not noise", async () => {
    const texts = (await pipeline().run(['KING HENRY:\n', 'JULIET:\n', 'First Citizen:\n'], {
      seed: 7,
      maxNewTokens: 200,
      returnFullText: false,
    })) as Generated[];
    for (const [r] of texts) {
      const text = r.generated_text;
      assert.ok(!text.includes('\n\n'), JSON.stringify(text));
      // Sampled character by character, most of what it writes is letters and spaces in short runs.
      const letters = text.replace(/[^A-Za-z ]/g, '').length;
      assert.ok(letters >= 0.8 * text.length, JSON.stringify(text));
      const words = text.split(/\s+/).filter((w) => w.length > 0);
      assert.ok(
        words.every((w) => w.length <= 20),
        JSON.stringify(text),
      );
    }
  });

  it("scores Shakespeare's verse far better than the same characters scrambled (recur eval)", async () => {
    const verse = await natsPerChar(SONNET);
    const noise = await natsPerChar(scrambled(SONNET));
    assert.ok(verse < 2.2, `sonnet: ${verse} nats/char`);
    assert.ok(noise > verse + 1, `scrambled: ${noise} nats/char, sonnet ${verse}`);
  });
});

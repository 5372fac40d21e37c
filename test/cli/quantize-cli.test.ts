import { strict as assert } from 'node:assert';
import { cp, mkdtemp, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readSafetensors } from '@recur/runtime';
import { runCli } from './run-cli.js';

describe('recur quantize', () => {
  it('halves the weights, and the pipeline gives nearly the same scores from the float16 file', async () => {
    const dir = await mkdtemp(join(resolve('test/dist'), 'tmp-quant-'));
    await cp(resolve('pipelines/demo'), join(dir, 'demo'), { recursive: true });
    await cp(resolve('pipelines/demo.json'), join(dir, 'demo.json'));
    const r = await runCli(['quantize', join(dir, 'demo/weights.safetensors'), '-o', join(dir, 'demo/w16.safetensors')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /: \d+ tensors float32 -> float16; [\d.]+ MiB -> [\d.]+ MiB/);
    // Quantizing the float16 file again converts nothing, and says so.
    const again = await runCli(['quantize', join(dir, 'demo/w16.safetensors'), '-o', join(dir, 'demo/w16-again.safetensors')]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /the weights are already float16 \(all \d+ tensors\): nothing converted/);
    const store = await readSafetensors(join(dir, 'demo/w16.safetensors'));
    assert.ok(store.names().every((n) => store.get(n)!.dtype === 'float16'));
    const [a, b] = await Promise.all([stat(join(dir, 'demo/weights.safetensors')), stat(join(dir, 'demo/w16.safetensors'))]);
    assert.ok(b.size < a.size * 0.55, `${b.size} vs ${a.size}`);
    const spec = join(dir, 'demo.json');
    const full = JSON.parse((await runCli(['run', spec, '--text', 'wonderful music', '--top-k', 'all'])).stdout) as { label: string; score: number }[];
    const half = JSON.parse((await runCli(['run', spec, '--text', 'wonderful music', '--top-k', 'all', '--set', 'weights=demo/w16.safetensors'])).stdout) as { label: string; score: number }[];
    assert.equal(half[0]!.label, full[0]!.label);
    assert.ok(Math.abs(half[0]!.score - full[0]!.score) < 1e-3);
  });

  it('needs -o', async () => {
    assert.equal((await runCli(['quantize', resolve('pipelines/demo/weights.safetensors')])).code, 2);
  });
});

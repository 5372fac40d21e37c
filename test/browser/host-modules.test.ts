import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';

// The browser host's modules, compiled beside the bundle's sources (the package's entry is the bundle).
const lib = (file: string) => new URL(`../../../core/browser/dist/lib/host/${file}`, import.meta.url).href;
const crypto = (await import(
  lib('node-crypto.js')
)) as typeof import('../../core/browser/dist/lib/host/node-crypto.js');
const path = (await import(lib('node-path.js'))) as typeof import('../../core/browser/dist/lib/host/node-path.js');
const { FetchFileHost } = (await import(
  lib('fetch-host.js')
)) as typeof import('../../core/browser/dist/lib/host/fetch-host.js');

describe("browser host modules: the bundle's stand-ins for node:crypto and node:path", () => {
  it('SHA-256 in JavaScript gives node:crypto digests (block edges, text, a large buffer in pieces)', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 1000]) {
      const bytes = new Uint8Array(randomBytes(n));
      assert.equal(
        crypto.createHash('sha256').update(bytes).digest('hex'),
        createHash('sha256').update(bytes).digest('hex'),
        `${n} bytes`,
      );
    }
    assert.equal(
      crypto.createHash('sha256').update('Grüße, 世界').digest('hex'),
      createHash('sha256').update('Grüße, 世界').digest('hex'),
    );
    const big = new Uint8Array(randomBytes(300_001));
    const pieces = crypto.createHash('sha256');
    for (let at = 0; at < big.length; at += 7_777) pieces.update(big.subarray(at, at + 7_777));
    assert.equal(pieces.digest('hex'), createHash('sha256').update(big).digest('hex'));
  });

  it('URL paths resolve like POSIX paths with the origin as their root', () => {
    assert.equal(path.resolve('https://h.example/a/b', 'c/../d.json'), 'https://h.example/a/b/d.json');
    assert.equal(path.resolve('https://h.example/a/b', '../../../x'), 'https://h.example/x');
    assert.equal(path.resolve('https://h.example/a/b', '/x'), 'https://h.example/x');
    assert.equal(path.resolve('https://h.example/a/b', 'http://other.example/x'), 'http://other.example/x');
    assert.equal(path.dirname('https://h.example/a/spec.json'), 'https://h.example/a');
    assert.equal(path.dirname('https://h.example/spec.json'), 'https://h.example');
    assert.equal(path.dirname('https://h.example'), 'https://h.example');
    assert.equal(path.basename('https://h.example/a/w.safetensors'), 'w.safetensors');
    assert.equal(path.join('https://h.example/a', 'w.safetensors'), 'https://h.example/a/w.safetensors');
    assert.equal(path.relative('https://h.example/a', 'https://h.example/a/b/c'), 'b/c');
    assert.equal(path.relative('https://h.example/a/b', 'https://h.example/a/c'), '../c');
    assert.equal(path.relative('https://h.example/a', 'https://other.example/a'), 'https://other.example/a');
  });

  it("FetchFileHost.contains: inside the spec's base URL, never by a name prefix, another origin or ..", () => {
    const host = new FetchFileHost({}, 'https://h.example/app/index.html');
    const base = 'https://h.example/pipelines/sentiment';
    assert.equal(host.base(), 'https://h.example/app');
    assert.ok(host.contains(base, `${base}/tokenizer.json`));
    assert.ok(host.contains(base, base));
    assert.ok(!host.contains(base, 'https://h.example/pipelines/sentiment-evil/tokenizer.json'));
    assert.ok(!host.contains(base, host.resolve(base, '../generation/tokenizer.json')));
    assert.ok(!host.contains(base, 'https://other.example/pipelines/sentiment/tokenizer.json'));
    assert.equal(host.resolve(base, 'w.safetensors'), `${base}/w.safetensors`);
  });
});

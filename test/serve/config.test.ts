import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@recur/cli';
import { RecurAggregateError } from '@recur/runtime';
import { DEFAULT_LIMITS, isLoopback, loadConfigFile, parseConfig, resolveServeConfig } from '@recur/serve';
import { makeServeFixtures } from './serve-fixtures.js';

function bufferIO(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd },
    out,
    err,
  };
}

describe('recur serve: configuration', function () {
  this.timeout(60000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recur-serve-config-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('resolves relative paths against the configuration file and keeps what it sets', () => {
    const cfg = parseConfig(
      {
        host: '127.0.0.2',
        port: 9000,
        pipelines: [{ spec: 'pipelines/lm.json', name: 'chat', replicas: 2 }],
        limits: { maxTokens: 64 },
        auth: { apiKeys: ['k'.repeat(16)] },
        allowRoots: ['models'],
      },
      '/srv/recur/serve.json',
    );
    assert.deepEqual(cfg.pipelines, [{ spec: '/srv/recur/pipelines/lm.json', name: 'chat', replicas: 2 }]);
    assert.deepEqual(cfg.allowRoots, ['/srv/recur/models']);
    assert.deepEqual(cfg.apiKeys, ['k'.repeat(16)]);
    const resolved = resolveServeConfig({ ...cfg, registry: { module: 'x' } }, {});
    assert.equal(resolved.limits.maxTokens, 64);
    assert.equal(resolved.limits.bodyBytes, DEFAULT_LIMITS.bodyBytes);
    assert.equal(resolved.host, '127.0.0.2');
  });

  it('binds 127.0.0.1 by default and adds keys from RECUR_SERVE_API_KEYS', () => {
    const resolved = resolveServeConfig(
      { pipelines: [], registry: { module: 'x' } },
      { RECUR_SERVE_API_KEYS: ' a-key-of-some-length , another-key-of-length ' },
    );
    assert.equal(resolved.host, '127.0.0.1');
    assert.deepEqual(resolved.apiKeys, ['a-key-of-some-length', 'another-key-of-length']);
    assert.ok(isLoopback('127.0.0.1') && isLoopback('localhost') && isLoopback('::1') && isLoopback('127.3.2.1'));
    assert.ok(!isLoopback('0.0.0.0') && !isLoopback('::') && !isLoopback('192.168.1.2'));
  });

  it('reports every schema problem at once with its JSON pointer', () => {
    assert.throws(
      () =>
        parseConfig(
          { port: 'eighty', limits: { maxTokens: 0 }, colour: 'blue', auth: { apiKeys: ['short'] } },
          '/x/serve.json',
        ),
      (err: unknown) => {
        assert.ok(err instanceof RecurAggregateError);
        const pointers = err.errors.map((e) => e.pointer).sort();
        assert.deepEqual(pointers, ['', '/auth/apiKeys/0', '/limits/maxTokens', '/port']);
        assert.ok(err.errors.every((e) => e.code === 'RECUR_E_SERVE_CONFIG_INVALID'));
        assert.match(err.message, /colour/);
        return true;
      },
    );
  });

  it('refuses CORS "*" together with credentials', () => {
    assert.throws(
      () => parseConfig({ cors: { origins: '*', credentials: true } }, '/x/serve.json'),
      (err: { code?: string; pointer?: string }) =>
        err.code === 'RECUR_E_SERVE_CONFIG_INVALID' && err.pointer === '/cors/credentials',
    );
  });

  it('names the file when it is not JSON', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{ "port": 80,');
    await assert.rejects(
      loadConfigFile(file),
      (err: { code?: string; details?: { file?: string } }) =>
        err.code === 'RECUR_E_SERVE_CONFIG_INVALID' && err.details?.file === file,
    );
  });

  it('`recur serve` exits 1 on a bad configuration and 2 on wrong usage, without starting anything', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ pipelines: [{ spec: 'x.json' }], timeouts: { requestMs: -1 } }));
    const bad = bufferIO(dir);
    assert.equal(await main(['serve', '--config', file], bad.io), 1);
    assert.match(bad.err.join(''), /\/timeouts\/requestMs\s+RECUR_E_SERVE_CONFIG_INVALID/);
    const none = bufferIO(dir);
    assert.equal(await main(['serve'], none.io), 2);
    assert.match(none.err.join(''), /RECUR_E_USAGE/);
    const port = bufferIO(dir);
    assert.equal(await main(['serve', 'x.json', '--port', 'http'], port.io), 2);
    const missing = bufferIO(dir);
    assert.equal(await main(['serve', join(dir, 'nothing.json')], missing.io), 1);
    assert.match(missing.err.join(''), /RECUR_E_SERVE_LOAD_FAILED/);
  });

  it('`recur serve --registry` names the module the workers import, and a bad one stops the start', async () => {
    const fixtures = await makeServeFixtures();
    const io = bufferIO(dir);
    assert.equal(
      await main(['serve', fixtures.classifierSpec, '--registry', './no-such-registry.js#createRegistry'], io.io),
      1,
    );
    assert.match(io.err.join(''), /RECUR_E_SERVE_LOAD_FAILED .*RECUR_E_SERVE_REGISTRY_MODULE/);
    const noExport = join(dir, 'registry.mjs');
    await writeFile(noExport, 'export const nothing = 1;\n');
    const io2 = bufferIO(dir);
    assert.equal(await main(['serve', fixtures.classifierSpec, '--registry', './registry.mjs#build'], io2.io), 1);
    assert.match(io2.err.join(''), /no function export "build"/);
  });
});

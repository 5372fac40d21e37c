import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const sentiment = join(repo, 'pipelines/sentiment.json');

/**
 * The environment of the nested npm and node processes: this process's own, without the npm_*
 * variables an enclosing `npm test` sets (they describe this repository's workspace, not the project).
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  return { ...env, ONNXRUNTIME_NODE_INSTALL: 'skip' };
}

async function sh(cwd: string, file: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run(file, [...args], { cwd, env: cleanEnv(), maxBuffer: 16 * 2 ** 20 });
}

/**
 * Recur used from another project, as the README describes it: the workspaces packed once
 * (`npm pack --workspaces`), installed into a fresh project outside the repository (third-party
 * dependencies from npm's cache, or the registry), then the library, the `recur` binary, and a
 * plugin scaffolded by `recur new plugin` in that project.
 */
describe('Recur from another project: packed tarballs installed outside the repository', function () {
  this.timeout(300_000);
  let root: string;
  let project: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'recur-packed-'));
    const packs = join(root, 'packs');
    mkdirSync(packs);
    // Built already by `npm test` (tsc -b), so the packages' prepare scripts are not needed.
    await sh(repo, 'npm', ['pack', '--workspaces', '--ignore-scripts', '--pack-destination', packs]);
    project = join(root, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-recur', private: true, type: 'module' }));
    const tarballs = readdirSync(packs)
      .filter((f) => f.endsWith('.tgz'))
      .map((f) => join(packs, f));
    assert.equal(tarballs.length, 9, `packed: ${tarballs.join(', ')}`);
    await sh(project, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs]);
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('load() from @recur/cli runs a shipped pipeline', async () => {
    const script = `import { createRegistry, load } from '@recur/cli';
const p = await load(${JSON.stringify(sentiment)}, { registry: createRegistry() });
console.log(JSON.stringify(await p.run('A lovely, moving film.')));
await p.dispose();`;
    writeFileSync(join(project, 'classify.mjs'), script);
    const { stdout } = await sh(project, process.execPath, ['classify.mjs']);
    const [top] = JSON.parse(stdout) as { label: string; score: number }[];
    assert.equal(top.label, 'positive');
    assert.ok(top.score > 0.5 && top.score <= 1);
    // The installed copy, not the repository's.
    const resolved = await sh(project, process.execPath, [
      '--input-type=module',
      '-e',
      "console.log(import.meta.resolve('@recur/runtime'))",
    ]);
    assert.ok(resolved.stdout.includes(join(project, 'node_modules')), resolved.stdout);
  });

  it('npx recur run answers from the installed binary', async () => {
    const { stdout } = await sh(project, 'npx', [
      '--no-install',
      'recur',
      'run',
      sentiment,
      '--text',
      'A dull, tedious film.',
    ]);
    assert.equal((JSON.parse(stdout) as { label: string }[])[0].label, 'negative');
  });

  it('recur new plugin scaffolds a cell whose own tests pass; a spec using it loads, runs and trains', async () => {
    await sh(project, 'npx', ['--no-install', 'recur', 'new', 'plugin', 'recur-plugin-minrnn', '--kind', 'cell']);
    const plugin = join(project, 'recur-plugin-minrnn');
    const pkg = JSON.parse(readFileSync(join(plugin, 'package.json'), 'utf8')) as {
      peerDependencies: Record<string, string>;
    };
    assert.deepEqual(pkg.peerDependencies, { '@recur/runtime': '^0.1.0' });
    // Its tests: the forward pass against plain JavaScript, the gradients against finite differences.
    const tested = await sh(plugin, process.execPath, ['--test']);
    assert.match(tested.stdout, /# fail 0/);
    assert.match(tested.stdout, /ok \d+ - gradients agree with finite differences/);

    copyFileSync(join(repo, 'pipelines/demo/tokenizer.json'), join(plugin, 'tokenizer.json'));
    copyFileSync(join(repo, 'test/fixtures/train-data/sentiment.tsv'), join(plugin, 'train.tsv'));
    writeFileSync(
      join(plugin, 'spec.json'),
      JSON.stringify({
        name: 'uses-minrnn',
        task: 'text-classification',
        plugins: ['./index.js'],
        tokenizer: { type: 'tokenizer.json', path: 'tokenizer.json' },
        embedding: { type: 'lookup', dim: 8 },
        encoder: { type: 'recurrent', cell: { type: 'minrnn' }, hidden: 6, bidirectional: true },
        head: { type: 'classifier', labels: ['0', '1'] },
        weights: 'weights.safetensors',
        train: { epochs: 2, batchSize: 3 },
      }),
    );
    const recur = (...args: string[]) =>
      sh(plugin, 'npx', ['--no-install', 'recur', ...args, '--allow-plugin', './index.js']);
    await recur('init', 'spec.json');
    const ran = JSON.parse((await recur('run', 'spec.json', '--text', 'a charming film')).stdout) as {
      label: string;
      score: number;
    }[];
    assert.ok(['0', '1'].includes(ran[0].label));
    const trained = await recur('train', 'spec.json', '--data', 'train.tsv', '--dev', 'train.tsv');
    assert.match(trained.stdout + trained.stderr, /done after 4 steps/);
    const after = JSON.parse((await recur('run', 'spec.json', '--text', 'a charming film')).stdout) as {
      score: number;
    }[];
    assert.notEqual(after[0].score, ran[0].score, 'training changed the weights');
  });

  it('recur new plugin scaffolds an embedding, a head and a tokenizer whose tests pass', async () => {
    for (const kind of ['embedding', 'head', 'tokenizer']) {
      await sh(project, 'npx', ['--no-install', 'recur', 'new', 'plugin', `recur-plugin-my-${kind}`, '--kind', kind]);
      const tested = await sh(join(project, `recur-plugin-my-${kind}`), process.execPath, ['--test']);
      assert.match(tested.stdout, /# fail 0/, kind);
      assert.match(tested.stdout, /# pass [1-9]/, kind);
    }
  });
});

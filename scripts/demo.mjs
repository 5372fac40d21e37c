#!/usr/bin/env node
// The README's main job: runs every shipped pipeline in pipelines/ on its example inputs
// (pipelines/<name>.examples.json) through the library API and prints input -> result.
import { readdir, readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry, load } from '@recur/cli';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'pipelines');
const registry = createRegistry();
let failures = 0;
for (const file of (await readdir(dir)).filter((f) => f.endsWith('.json') && !f.endsWith('.examples.json')).sort()) {
  const examplesFile = join(dir, file.replace(/\.json$/, '.examples.json'));
  const examples = JSON.parse(await readFile(examplesFile, 'utf8').catch(() => '[]'));
  if (examples.length === 0) continue;
  const pipeline = await load(join(dir, file), { registry }).catch((err) => {
    failures += 1;
    console.error(`${file}: ${err.code ?? ''} ${err.message}`);
    return undefined;
  });
  if (!pipeline) continue;
  console.log(`\n== ${pipeline.name} (${pipeline.task}) ==`);
  for (const text of examples) {
    const result = await pipeline.run(text);
    console.log(`${JSON.stringify(text)}\n  -> ${JSON.stringify(result)}`);
  }
  await pipeline.dispose();
}
process.exitCode = failures > 0 ? 1 : 0;

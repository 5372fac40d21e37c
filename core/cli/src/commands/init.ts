import { dirname, resolve } from 'node:path';
import { load, RuntimeErrors as E, writeSafetensors, type PluginRegistry } from '@recur/runtime';
import { provenanceMetadata } from '@recur/runtime/internal';
import { parse, positional, SPEC_OPTIONS } from '../args.js';
import { reportFailure, type CommandIO } from '../io.js';
import { readSpecText } from './validate.js';

export const USAGE = 'recur init SPEC [--seed N] [--force] [--set path=value]...';

/**
 * `recur init`: writes freshly initialised (untrained) weights to the spec's `weights` path, from
 * each part's declared initialisers and a seed. For trying a spec's mechanics and for plugin
 * authors; `recur train` is how a model gets useful weights. Refuses to overwrite without --force.
 */
export async function initCommand(argv: readonly string[], io: CommandIO, registry: PluginRegistry): Promise<number> {
  try {
    const { values, positionals } = parse(
      argv,
      { ...SPEC_OPTIONS, seed: { type: 'string' }, force: { type: 'boolean' } },
      USAGE,
    );
    const specPath = resolve(io.cwd, positional(positionals, 'spec file', USAGE));
    const seed = values.seed === undefined ? 0 : Number(values.seed);
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw E.USAGE(`--seed must be a non-negative integer, got ${values.seed}`, { expected: 'integer >= 0' });
    const text = await readSpecText(specPath);
    const pipeline = await load(specPath, {
      registry,
      allowPlugins: values['allow-plugin'] ?? [],
      initialize: { seed },
      ...(values.set ? { overrides: values.set } : {}),
    });
    try {
      const rel = pipeline.spec['weights'];
      if (typeof rel !== 'string')
        throw E.SPEC_INVALID('the spec names no "weights" file to write', {
          pointer: '/weights',
          expected: 'a relative path ending in .safetensors',
        });
      const target = resolve(pipeline.specDir, rel);
      const { existsSync } = await import('node:fs');
      if (existsSync(target) && !values.force) {
        throw E.IO(`${rel} exists; pass --force to replace it with untrained weights`, {
          file: target,
          pointer: '/weights',
        });
      }
      // A folder the spec names but that does not exist yet is the user's to have: create it.
      const { mkdir } = await import('node:fs/promises');
      await mkdir(dirname(target), { recursive: true }).catch((err: unknown) => {
        throw E.IO(
          `cannot create the folder of the weights file ${dirname(target)}: ${(err as Error).message}`,
          { file: dirname(target), pointer: '/weights' },
          { cause: err },
        );
      });
      const metadata = {
        ...provenanceMetadata({ spec: text, modelSpec: pipeline.spec }),
        'recur.training': `untrained: recur init --seed ${seed}`,
      };
      await writeSafetensors(target, Object.fromEntries(pipeline.initializedWeights), metadata);
      io.stdout.write(`${target}: ${pipeline.initializedWeights.size} tensors (untrained, seed ${seed})\n`);
    } finally {
      await pipeline.dispose();
    }
    return 0;
  } catch (err) {
    return reportFailure(err, io, false);
  }
}

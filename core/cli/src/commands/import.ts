import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { load, readSafetensors, RuntimeErrors as E, writeSafetensors, type PluginRegistry } from '@recur/runtime';
import { provenanceMetadata } from '@recur/runtime/internal';
import { importTorchStateDict } from '@recur/recurrent';
import { parse, SPEC_OPTIONS } from '../args.js';
import { reportFailure, type CommandIO } from '../io.js';
import { readSpecText } from './validate.js';

export const USAGE =
  'recur import torch STATE_DICT.safetensors --spec SPEC -o WEIGHTS.safetensors [--map PREFIX=PART]... [--nonlinearity tanh|relu] [--force]';

/**
 * `recur import torch`: fills a spec's weights from a PyTorch state dict saved as safetensors
 * (`safetensors.torch.save_file(model.state_dict(), ...)`). `--map rnn.=encoder` says which part a
 * source prefix fills; without any, each part whose name is a prefix of the state dict is mapped to
 * itself. Strict: every source tensor must be used and every parameter filled (see
 * importTorchStateDict); mismatched layers, directions, biases, sizes or activation are refused.
 */
export async function importCommand(argv: readonly string[], io: CommandIO, registry: PluginRegistry): Promise<number> {
  try {
    const { values, positionals } = parse(
      argv,
      {
        ...SPEC_OPTIONS,
        spec: { type: 'string' },
        output: { type: 'string', short: 'o' },
        map: { type: 'string', multiple: true },
        nonlinearity: { type: 'string' },
        force: { type: 'boolean' },
      },
      USAGE,
    );
    const [format, file, ...rest] = positionals;
    if (format !== 'torch' || !file || rest.length > 0)
      throw E.USAGE(`expected "torch" and one state-dict file\nusage: ${USAGE}`, { expected: USAGE });
    if (!values.spec || !values.output)
      throw E.USAGE(`--spec SPEC and -o WEIGHTS are required\nusage: ${USAGE}`, { expected: USAGE });
    const nonlinearity = values.nonlinearity;
    if (nonlinearity !== undefined && nonlinearity !== 'tanh' && nonlinearity !== 'relu')
      throw E.USAGE(`--nonlinearity must be tanh or relu, got ${nonlinearity}`, { expected: 'tanh | relu' });
    const output = resolve(io.cwd, values.output);
    if (existsSync(output) && !values.force)
      throw E.IO(`${values.output} exists; pass --force to replace it`, { file: output });
    const specPath = resolve(io.cwd, values.spec);
    const stateDict = await readSafetensors(resolve(io.cwd, file));
    const pipeline = await load(specPath, {
      registry,
      allowPlugins: values['allow-plugin'] ?? [],
      initialize: { seed: 0 },
      ...(values.set ? { overrides: values.set } : {}),
    });
    try {
      const params = new Map([...pipeline.initializedWeights].map(([name, t]) => [name, t.dims] as const));
      const map = values.map ? parseMaps(values.map) : identityMaps(stateDict.names(), params.keys());
      const { weights, report } = importTorchStateDict(
        stateDict,
        { params, spec: pipeline.spec },
        { map, ...(nonlinearity ? { nonlinearity } : {}) },
      );
      const metadata = {
        ...provenanceMetadata({ spec: await readSpecText(specPath) }),
        'recur.training': `imported from a PyTorch state dict: recur import torch ${file}`,
      };
      await writeSafetensors(output, weights, metadata);
      for (const p of report.parts) io.stdout.write(`${p.part} <- ${p.from}* (${p.module}, ${p.tensors} tensors)\n`);
      io.stdout.write(
        `${output}: ${Object.keys(weights).length} tensors from ${report.sourceTensors} source tensors\n`,
      );
    } finally {
      await pipeline.dispose();
    }
    return 0;
  } catch (err) {
    return reportFailure(err, io, false);
  }
}

function parseMaps(entries: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq < 0 || eq === entry.length - 1)
      throw E.USAGE(`--map takes PREFIX=PART (rnn.=encoder), got ${JSON.stringify(entry)}`, {
        expected: 'PREFIX=PART',
      });
    map[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return map;
}

/** `encoder.` -> encoder for every top-level part that names a prefix of the state dict. */
function identityMaps(names: readonly string[], params: Iterable<string>): Record<string, string> {
  const parts = new Set([...params].map((n) => n.split('.')[0]));
  const map: Record<string, string> = {};
  for (const part of parts) if (names.some((n) => n.startsWith(`${part}.`))) map[`${part}.`] = part;
  if (Object.keys(map).length === 0) {
    const prefixes = [...new Set(names.map((n) => n.split('.')[0]))].join(', ');
    throw E.USAGE(
      `no part of the spec (${[...parts].join(', ')}) names a prefix of the state dict (${prefixes}); say which fills which with --map PREFIX=PART`,
      { expected: '--map PREFIX=PART' },
    );
  }
  return map;
}

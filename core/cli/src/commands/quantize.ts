import { resolve } from 'node:path';
import { floatToHalf, readSafetensors, RuntimeErrors as E, writeSafetensors, type PluginRegistry, type TensorData } from '@recur/runtime';
import { parse, positional } from '../args.js';
import { reportFailure, type CommandIO } from '../io.js';
import { writeInt8Weights } from './quantize-int8.js';

export const USAGE = 'recur quantize WEIGHTS.safetensors -o OUT.safetensors [--dtype float16|int8]';

/**
 * `recur quantize`: stores a weights file's float32 tensors as float16, halving its size. Loading
 * widens them back to float32, so inference graphs are unchanged; measure the accuracy change with
 * `recur eval` before shipping the smaller file. `--dtype int8` writes int8 weights with per-row scales
 * instead (quantize-int8.ts), a quarter of float32.
 */
export async function quantizeCommand(argv: readonly string[], io: CommandIO, _registry: PluginRegistry): Promise<number> {
  try {
    const { values, positionals } = parse(argv, { output: { type: 'string', short: 'o' }, dtype: { type: 'string' } }, USAGE);
    const input = resolve(io.cwd, positional(positionals, 'weights file', USAGE));
    if (!values.output) throw E.USAGE(`-o OUT.safetensors is required\nusage: ${USAGE}`, { expected: USAGE });
    const dtype = values.dtype ?? 'float16';
    if (dtype !== 'float16' && dtype !== 'int8') throw E.USAGE(`--dtype must be float16 or int8, got ${dtype}\nusage: ${USAGE}`, { expected: 'float16 or int8' });
    const store = await readSafetensors(input);
    if (dtype === 'int8') return await writeInt8Weights(store, input, values.output, io);
    const out: Record<string, TensorData> = {};
    let before = 0;
    let after = 0;
    for (const name of store.names()) {
      const t = store.get(name)!;
      before += t.data.byteLength;
      if (t.dtype === 'float32') {
        const src = t.data as Float32Array;
        const half = new Uint16Array(src.length);
        for (let i = 0; i < src.length; i++) half[i] = floatToHalf(src[i]!);
        out[name] = { dtype: 'float16', dims: t.dims, data: half };
      } else out[name] = t;
      after += out[name]!.data.byteLength;
    }
    await writeSafetensors(resolve(io.cwd, values.output), out, { ...store.metadata, 'recur.quantized': `float16 from ${store.metadata['spec_sha256'] ? 'trained float32 weights' : input}` });
    io.stdout.write(`${values.output}: ${(before / 2 ** 20).toFixed(2)} MiB -> ${(after / 2 ** 20).toFixed(2)} MiB\n`);
    return 0;
  } catch (err) {
    return reportFailure(err, io, false);
  }
}

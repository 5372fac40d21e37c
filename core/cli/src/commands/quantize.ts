import { resolve } from 'node:path';
import {
  readSafetensors,
  RuntimeErrors as E,
  writeSafetensors,
  type PluginRegistry,
  type TensorData,
} from '@recur/runtime';
import { floatToHalf, int8ScaleName } from '@recur/runtime/internal';
import { parse, positional } from '../args.js';
import { reportFailure, type CommandIO } from '../io.js';
import { writeInt8Weights } from './quantize-int8.js';

export const USAGE = 'recur quantize WEIGHTS.safetensors -o OUT.safetensors [--dtype float16|int8]';

/** What `recur quantize --help` adds to the synopsis. */
export const DETAILS = `--dtype float16 (the default) converts every float32 tensor to float16 and keeps the others as they are;
it says how many tensors it converted and kept. Weights that are float16 already are reported as such and copied;
int8 weights keep their int8 values and float32 scales.
Loading widens float16 back to float32, so the graphs are unchanged: measure the effect with recur eval.
--dtype int8 stores each weight matrix as int8 with one float32 scale per row (NAME and NAME_scale tensors;
lookup tables stay int8 in memory), a quarter of float32; docs/guides/quantization.md gives the layout.`;

/**
 * `recur quantize`: stores a weights file's float32 tensors as float16, halving its size. Loading
 * widens them back to float32, so inference graphs are unchanged; measure the accuracy change with
 * `recur eval` before shipping the smaller file. `--dtype int8` writes int8 weights with per-row scales
 * instead (quantize-int8.ts), a quarter of float32.
 */
export async function quantizeCommand(
  argv: readonly string[],
  io: CommandIO,
  _registry: PluginRegistry,
): Promise<number> {
  try {
    const { values, positionals } = parse(
      argv,
      { output: { type: 'string', short: 'o' }, dtype: { type: 'string' } },
      USAGE,
    );
    const input = resolve(io.cwd, positional(positionals, 'weights file', USAGE));
    if (!values.output) throw E.USAGE(`-o OUT.safetensors is required\nusage: ${USAGE}`, { expected: USAGE });
    const dtype = values.dtype ?? 'float16';
    if (dtype !== 'float16' && dtype !== 'int8')
      throw E.USAGE(`--dtype must be float16 or int8, got ${dtype}\nusage: ${USAGE}`, { expected: 'float16 or int8' });
    const store = await readSafetensors(input);
    if (dtype === 'int8') return await writeInt8Weights(store, input, values.output, io);
    const out: Record<string, TensorData> = {};
    const count = { converted: 0, half: 0, int8: 0, other: 0 };
    // An int8 weight's per-row scales stay float32: the int8 layout (and the loader) needs them so.
    const scales = new Set(
      store
        .names()
        .filter((n) => store.get(n)?.dtype === 'int8' && store.names().includes(int8ScaleName(n)))
        .map((n) => int8ScaleName(n)),
    );
    let before = 0;
    let after = 0;
    for (const name of store.names()) {
      const t = store.get(name)!;
      before += t.data.byteLength;
      if (t.dtype === 'float32' && !scales.has(name)) {
        const src = t.data as Float32Array;
        const half = new Uint16Array(src.length);
        for (let i = 0; i < src.length; i++) half[i] = floatToHalf(src[i]);
        out[name] = { dtype: 'float16', dims: t.dims, data: half };
        count.converted++;
      } else {
        out[name] = t;
        if (t.dtype === 'float16') count.half++;
        else if (t.dtype === 'int8' || scales.has(name)) count.int8++;
        else count.other++;
      }
      after += out[name].data.byteLength;
    }
    await writeSafetensors(resolve(io.cwd, values.output), out, {
      ...store.metadata,
      'recur.quantized': `float16 from ${store.metadata['spec_sha256'] ? 'trained float32 weights' : input}`,
    });
    io.stdout.write(quantizeReport(values.output, count, before, after) + '\n');
    return 0;
  } catch (err) {
    return reportFailure(err, io, false);
  }
}

/** What quantize did, in words: how many tensors it converted, which it kept, and the sizes. */
function quantizeReport(
  output: string,
  count: { converted: number; half: number; int8: number; other: number },
  before: number,
  after: number,
): string {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
  const kept = [
    count.half > 0 ? `${count.half} already float16` : '',
    count.int8 > 0 ? `${count.int8 / 2} int8 weights with their float32 scales` : '',
    count.other > 0 ? `${count.other} not floating point (kept as they are)` : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (count.converted === 0) {
    const what =
      count.half > 0 && count.other === 0 && count.int8 === 0
        ? `the weights are already float16 (all ${count.half} tensors)`
        : `no float32 tensor to convert (${kept || 'no tensors'})`;
    return `${what}: nothing converted; ${output} holds the same tensors (${mib(after)})`;
  }
  return `${output}: ${count.converted} tensor${count.converted === 1 ? '' : 's'} float32 -> float16${kept ? `, ${kept}` : ''}; ${mib(before)} -> ${mib(after)}`;
}

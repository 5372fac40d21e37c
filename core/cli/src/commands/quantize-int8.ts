import { resolve } from 'node:path';
import { RuntimeErrors as E, writeSafetensors, type TensorData, type WeightStore } from '@recur/runtime';
import { int8ScaleName, quantizeInt8 } from '@recur/runtime/internal';
import type { CommandIO } from '../io.js';

/** `recur quantize --dtype int8`: writes `store` in the int8 layout to `output` and reports the sizes. */
export async function writeInt8Weights(
  store: WeightStore,
  input: string,
  output: string,
  io: CommandIO,
): Promise<number> {
  const file = int8Weights(store, input);
  await writeSafetensors(resolve(io.cwd, output), file.tensors, file.metadata);
  const mib = (tensors: Iterable<TensorData>) =>
    ([...tensors].reduce((n, t) => n + t.data.byteLength, 0) / 2 ** 20).toFixed(2);
  io.stdout.write(
    `${output}: ${mib(store.names().map((n) => store.get(n)!))} MiB -> ${mib(file.tensors.values())} MiB${file.quantized === 0 ? ' (already int8)' : ''}\n`,
  );
  return 0;
}

/** What `recur quantize --dtype int8` writes: tensors, metadata, and a count for its report. */
export interface Int8File {
  readonly tensors: Map<string, TensorData>;
  readonly metadata: Record<string, string>;
  /** How many tensors became int8 in this pass (0: the file was int8 already). */
  readonly quantized: number;
}

/**
 * The int8 layout of a weights file (documented in docs/guides/quantization.md and int8-weights.ts of
 * @recur/runtime): every float tensor of rank >= 2 becomes `NAME` (int8) plus `NAME_scale` (float32, one
 * scale per row); vectors (biases) stay as they are, being small and sensitive. int8 tensors with their
 * scales are kept, so quantizing twice changes nothing.
 */
export function int8Weights(store: WeightStore, source: string): Int8File {
  const names = new Set(store.names());
  const tensors = new Map<string, TensorData>();
  let quantized = 0;
  // The scales of tensors that are int8 already are part of the layout, not weights to quantize.
  const scales = new Set(
    store
      .names()
      .filter((n) => store.get(n)!.dtype === 'int8')
      .map(int8ScaleName),
  );
  for (const name of store.names()) {
    const t = store.get(name)!;
    if ((t.dtype !== 'float32' && t.dtype !== 'float16') || t.dims.length < 2 || scales.has(name)) {
      if (!tensors.has(name)) tensors.set(name, t);
      continue;
    }
    const scaleName = int8ScaleName(name);
    if (names.has(scaleName)) {
      throw E.WEIGHTS_INVALID(
        `${store.source}: tensor ${scaleName} already exists, and the int8 layout needs that name for the scales of ${name}; rename the tensor before quantizing`,
        {
          file: store.source,
          tensor: scaleName,
        },
      );
    }
    const q = quantizeInt8(t);
    tensors.set(name, q.values);
    tensors.set(scaleName, q.scale);
    quantized += 1;
  }
  const metadata: Record<string, string> = {
    ...store.metadata,
    'recur.quantized': `int8 from ${store.metadata['spec_sha256'] ? 'trained weights' : source}`,
    'recur.int8_layout':
      "symmetric per row: NAME is I8, NAME_scale is F32 of NAME's shape with the last dimension 1; value = NAME * NAME_scale (broadcast). Tensors of rank 1 are not quantized.",
  };
  return { tensors, metadata, quantized };
}

import {
  decodeModel,
  DEFAULT_OPSET,
  definePlugin,
  lowerBatchwiseRecurrent,
  onnxToDtype,
  RuntimeErrors,
  TOKENS,
  type EncoderPart,
  type OnnxModel,
  type Value,
} from '@recur/runtime';
import { E } from '../errors.js';
import { loadExternalData } from './external-data.js';
import { assertLinkableOpset, inlineModel } from './inline-model.js';

export type OnnxFileEncoderOptions = {
  readonly path: string;
  /** Recur role -> model input name: `x` (required), `lengths`, and initial states by state name (`h`, `c`). */
  readonly inputs?: Readonly<Record<string, string>>;
  /** Recur role -> model output name: `sequence` (required), and final states by state name (`h`, `c`). */
  readonly outputs?: Readonly<Record<string, string>>;
  readonly outputDim?: number;
};

/**
 * Bring your own model: an `.onnx` file (for example from `torch.onnx.export`) used as the encoder.
 * Its nodes are linked into the unit's graph with renamed values (see `inlineModel`), so the
 * embedding, this model and the head still run as one session. Roles map to the model's names:
 *   inputs:  x [T, B, inputDim] float32, lengths [B] (cast to the model's integer type), initial
 *            states by state name, each [layers*dirs, B, H]
 *   outputs: sequence [T, B, outputDim], final states by state name
 * The model must honour lengths itself if it takes them; Recur does not mask its outputs.
 */
export const onnxFileEncoder = definePlugin<'encoder', OnnxFileEncoderOptions>({
  kind: 'encoder',
  type: 'onnx-file.v1',
  description:
    'An existing ONNX model (opset 13-17, e.g. from torch.onnx.export) used as the encoder, its input and output names mapped.',
  pathOptions: ['path'],
  options: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1, description: 'The .onnx file, relative to the spec.' },
      inputs: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description:
          'Model input name for each role: "x" (default: the first input), "lengths", and initial states by state name ("h", "c").',
      },
      outputs: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description:
          'Model output name for each role: "sequence" (default: the first output), and final states by state name ("h", "c").',
      },
      outputDim: {
        type: 'integer',
        minimum: 1,
        description: 'Feature size of the sequence output; read from the model when it states it.',
      },
    },
    required: ['path'],
    additionalProperties: false,
  },
  async create(options, ctx): Promise<EncoderPart> {
    const file = ctx.resolvePath(options.path, `${ctx.pointer}/path`);
    const host = ctx.get(TOKENS.fileHost);
    // A folder, FIFO or device is refused at once by what it is; a missing file is PATH_NOT_FOUND.
    const bytes = await host.read(file, 'ONNX model', { missing: RuntimeErrors.PATH_NOT_FOUND });
    // A plain Uint8Array copy: decoded from a Node Buffer, tensors' raw bytes would be Buffer views
    // whose `slice()` does not copy, leaving float data at offsets a Float32Array cannot start at.
    const decoded = decodeModel(new Uint8Array(bytes), file);
    // Tensors stored beside the model (external data, as torch.onnx.export writes models over 2 GB).
    const roots = [(await host.locate(ctx.specDir)).location, host.dirname((await host.locate(file)).location)];
    await loadExternalData(decoded, file, roots, `${ctx.pointer}/path`, host);
    const model = lowerBatchwiseRecurrent(decoded);
    // Checked here too, so a spec fails when it is loaded rather than when a unit is compiled.
    assertLinkableOpset(model, DEFAULT_OPSET, file);
    const modelInputs = model.graph.input
      .map((i) => i.name)
      .filter((n) => !model.graph.initializer.some((t) => t.name === n));
    const modelOutputs = model.graph.output.map((o) => o.name);
    const inputs: Record<string, string> & { x: string } = { x: modelInputs[0] ?? '', ...options.inputs };
    const outputs: Record<string, string> & { sequence: string } = {
      sequence: modelOutputs[0] ?? '',
      ...options.outputs,
    };
    checkNames(inputs, modelInputs, 'inputs', ctx.pointer, file);
    checkNames(outputs, modelOutputs, 'outputs', ctx.pointer, file);
    const unmapped = modelInputs.filter((n) => !Object.values(inputs).includes(n));
    if (unmapped.length > 0) {
      throw E.BYOM_IO(`${file}: model input(s) ${unmapped.join(', ')} are not mapped in "inputs"`, {
        pointer: `${ctx.pointer}/inputs`,
        file,
        expected: `roles for: ${unmapped.join(', ')}`,
      });
    }
    const outputDim = options.outputDim ?? staticLastDim(model, outputs.sequence);
    if (outputDim === undefined) {
      throw E.BYOM_IO(`${file}: output "${outputs.sequence}" does not state its feature size; set "outputDim"`, {
        pointer: ctx.pointer,
        file,
      });
    }
    const lengthsType = inputType(model, inputs['lengths']);

    return {
      outputDim,
      build(g, x, lengths, initial) {
        const feeds: Record<string, Value> = { [inputs.x]: x };
        if (inputs['lengths'])
          feeds[inputs['lengths']] = lengthsType && lengthsType !== 'int32' ? g.cast(lengths, lengthsType) : lengths;
        for (const [role, name] of Object.entries(inputs)) {
          if (role === 'x' || role === 'lengths') continue;
          const state = initial?.[role];
          if (!state)
            throw E.BYOM_IO(
              `${file}: input "${name}" is mapped to initial state "${role}", which the caller did not give`,
              { pointer: `${ctx.pointer}/inputs/${role}`, file },
            );
          feeds[name] = state;
        }
        g.noteLinkedModel(file);
        const produced = inlineModel(g, model, feeds, file);
        const final: Record<string, Value> = {};
        for (const [role, name] of Object.entries(outputs)) if (role !== 'sequence') final[role] = produced[name]!;
        return { sequence: produced[outputs.sequence], final };
      },
    };
  },
});

function checkNames(
  mapping: Readonly<Record<string, string>>,
  available: readonly string[],
  key: string,
  pointer: string,
  file: string,
): void {
  for (const [role, name] of Object.entries(mapping)) {
    if (!available.includes(name)) {
      throw E.BYOM_IO(
        `${file}: "${key}.${role}" names "${name}", but the model's ${key} are: ${available.join(', ') || '(none)'}`,
        {
          pointer: `${pointer}/${key}/${role}`,
          file,
          expected: available.join(' | '),
        },
      );
    }
  }
}

function staticLastDim(model: OnnxModel, output: string): number | undefined {
  const dims = model.graph.output.find((o) => o.name === output)?.type?.tensorType?.shape?.dim;
  const last = dims?.[dims.length - 1];
  return last && !last.dimParam && Number(last.dimValue) > 0 ? Number(last.dimValue) : undefined;
}

function inputType(model: OnnxModel, name: string | undefined) {
  const info = name ? model.graph.input.find((i) => i.name === name) : undefined;
  return info?.type?.tensorType ? onnxToDtype(info.type.tensorType.elemType) : undefined;
}

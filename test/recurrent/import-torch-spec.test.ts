import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSafetensors, writeSafetensors, type TensorData } from '@recur/runtime';
import {
  importTorchRecurrent,
  importTorchStateDict,
  recurrentRegistry,
  createPart,
  type RecurrentEncoder,
} from '@recur/recurrent';
import { buildTrainingGraph, languageModelForward, ParamSet, TrainSession } from '@recur/train';
import { runCli } from '../cli/run-cli.js';
import { throwsWithCode } from '../helpers/coded-error.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/pytorch/', import.meta.url));

/** The tensors of a fixture file under `prefix`, with the prefix removed: a module's state dict. */
async function stateDict(file: string, prefix: string): Promise<Record<string, TensorData>> {
  const store = await readSafetensors(join(fixtures, file));
  return Object.fromEntries(
    store
      .names()
      .filter((n) => n.startsWith(prefix))
      .map((n) => [n.slice(prefix.length), store.get(n)!]),
  );
}

/** The parameters a recurrent encoder of this configuration declares, as the spec would. */
function encoderParams(
  cell: 'lstm' | 'gru' | 'rnn',
  layers: number,
  dirs: number,
  I: number,
  H: number,
): Map<string, number[]> {
  const gates = { lstm: 4, gru: 3, rnn: 1 }[cell];
  const params = new Map<string, number[]>();
  for (let l = 0; l < layers; l++) {
    for (let d = 0; d < dirs; d++) {
      const scope = `encoder.layers.${l}.${d ? 'backward' : 'forward'}`;
      params
        .set(`${scope}.W`, [gates * H, l === 0 ? I : dirs * H])
        .set(`${scope}.R`, [gates * H, H])
        .set(`${scope}.B`, [2 * gates * H]);
    }
  }
  return params;
}

const encoderSpec = (cell: Record<string, unknown>, layers: number, bidirectional: boolean, hidden = 6) => ({
  encoder: { type: 'recurrent.v1', cell, hidden, layers, bidirectional },
});

describe('importTorchStateDict: strict, a mismatch is refused with a code', () => {
  it('fills a 2-layer bidirectional LSTM spec exactly as importTorchRecurrent does', async () => {
    const sd = await stateDict('022-lstm-bi-l2-T5B3I4H6.safetensors', 'param.');
    const { weights, report } = importTorchStateDict(
      sd,
      { params: encoderParams('lstm', 2, 2, 4, 6), spec: encoderSpec({ type: 'lstm.v1' }, 2, true) },
      { map: { '': 'encoder' } },
    );
    const direct = importTorchRecurrent(sd, { kind: 'lstm', layers: 2, bidirectional: true });
    assert.deepEqual(Object.keys(weights).sort(), Object.keys(direct).sort());
    for (const name of Object.keys(direct)) assert.deepEqual(weights[name].data, direct[name].data, name);
    assert.deepEqual(report.parts, [{ part: 'encoder', from: '', module: 'nn.LSTM', tensors: 16 }]);
  });

  it('refuses a 2-layer state dict for a 1-layer spec (no tensor silently dropped)', async () => {
    const sd = await stateDict('022-lstm-bi-l2-T5B3I4H6.safetensors', 'param.');
    throwsWithCode(
      () =>
        importTorchStateDict(
          sd,
          { params: encoderParams('lstm', 1, 2, 4, 6), spec: encoderSpec({ type: 'lstm.v1' }, 1, true) },
          { map: { '': 'encoder' } },
        ),
      'RECUR_E_RECURRENT_TORCH_MISMATCH',
      /has another number of layers: 2 layer\(s\), but the import is configured for 1 layer\(s\)/,
    );
  });

  it('refuses a bidirectional state dict for a unidirectional spec, and the reverse', async () => {
    const bi = await stateDict('022-lstm-bi-l2-T5B3I4H6.safetensors', 'param.');
    throwsWithCode(
      () =>
        importTorchStateDict(
          bi,
          { params: encoderParams('lstm', 2, 1, 4, 6), spec: encoderSpec({ type: 'lstm.v1' }, 2, false) },
          { map: { '': 'encoder' } },
        ),
      'RECUR_E_RECURRENT_TORCH_MISMATCH',
      /bidirectional \(_reverse tensors\), but the import is configured for unidirectional/,
    );
    const uni = await stateDict('000-rnn_tanh-uni-l1-T5B3I4H6.safetensors', 'param.');
    throwsWithCode(
      () => importTorchRecurrent(uni, { kind: 'rnn_tanh', layers: 1, bidirectional: true }),
      'RECUR_E_RECURRENT_TORCH_MISMATCH',
      /unidirectional \(no _reverse tensors\)/,
    );
  });

  it('refuses bias: false on a state dict that has biases (they would become zeros)', async () => {
    const sd = await stateDict('000-rnn_tanh-uni-l1-T5B3I4H6.safetensors', 'param.');
    throwsWithCode(
      () => importTorchRecurrent(sd, { kind: 'rnn_tanh', layers: 1, bidirectional: false, bias: false }),
      'RECUR_E_RECURRENT_TORCH_MISMATCH',
      /has biases/,
    );
  });

  it("refuses another hidden size, another cell kind, and a nonlinearity other than the spec's activation", async () => {
    const rnn = await stateDict('008-rnn_relu-uni-l1-T5B3I4H6.safetensors', 'param.');
    throwsWithCode(
      () =>
        importTorchStateDict(
          rnn,
          { params: encoderParams('rnn', 1, 1, 4, 5), spec: encoderSpec({ type: 'rnn.v1' }, 1, false, 5) },
          { map: { '': 'encoder' } },
        ),
      'RECUR_E_RECURRENT_TORCH_MISMATCH',
      /hidden 6, but the import is configured for hidden 5/,
    );
    throwsWithCode(
      () =>
        importTorchStateDict(
          rnn,
          { params: encoderParams('gru', 1, 1, 4, 6), spec: encoderSpec({ type: 'gru.v1' }, 1, false) },
          { map: { '': 'encoder' } },
        ),
      'RECUR_E_RECURRENT_TORCH_MISMATCH',
      /an RNN \(weight_hh_l0 is \[6, 6\]\), but the import is configured for nn.GRU/,
    );
    throwsWithCode(
      () =>
        importTorchStateDict(
          rnn,
          {
            params: encoderParams('rnn', 1, 1, 4, 6),
            spec: encoderSpec({ type: 'rnn.v1', activation: 'tanh' }, 1, false),
          },
          { map: { '': 'encoder' }, nonlinearity: 'relu' },
        ),
      'RECUR_E_RECURRENT_TORCH_MISMATCH',
      /nonlinearity "relu", the spec's rnn cell activation "tanh"/,
      { pointer: '/encoder/cell/activation' },
    );
    const { weights } = importTorchStateDict(
      rnn,
      { params: encoderParams('rnn', 1, 1, 4, 6), spec: encoderSpec({ type: 'rnn.v1', activation: 'relu' }, 1, false) },
      { map: { '': 'encoder' }, nonlinearity: 'relu' },
    );
    assert.equal(Object.keys(weights).length, 3);
  });

  it('lists every source tensor it did not use, and every parameter it did not fill', async () => {
    const sd = { ...(await stateDict('000-rnn_tanh-uni-l1-T5B3I4H6.safetensors', 'param.')) };
    const extra = {
      'rnn.weight_ih_l0': sd['weight_ih_l0'],
      'rnn.weight_hh_l0': sd['weight_hh_l0'],
      'rnn.bias_ih_l0': sd['bias_ih_l0'],
      'rnn.bias_hh_l0': sd['bias_hh_l0'],
      'aux.scale': sd['bias_hh_l0'],
    };
    const target = {
      params: encoderParams('rnn', 1, 1, 4, 6).set('head.W', [2, 6]).set('head.b', [2]),
      spec: { ...encoderSpec({ type: 'rnn.v1' }, 1, false), head: { type: 'classifier.v1' } },
    };
    throwsWithCode(
      () => importTorchStateDict(extra, target, { map: { 'rnn.': 'encoder' } }),
      'RECUR_E_RECURRENT_TORCH_UNUSED',
      /aux\.scale/,
      { unused: ['aux.scale'] },
    );
    const { ['aux.scale']: _dropped, ...clean } = extra;
    throwsWithCode(
      () => importTorchStateDict(clean, target, { map: { 'rnn.': 'encoder' } }),
      'RECUR_E_RECURRENT_TORCH_UNFILLED',
      /\(parts head\): head\.W, head\.b/,
      { expected: '--map PREFIX=head' },
    );
  });
});

describe('recur import torch: a PyTorch language model (Embedding -> LSTM -> Linear) round trip', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recur-import-'));
    // A state dict as `save_file(model.state_dict(), ...)` writes it: the fixture's initial weights.
    await writeSafetensors(join(dir, 'model.safetensors'), await stateDict('train-lm-lstm.safetensors', 'init.'));
    const tokens = ['[PAD]', '[UNK]', '<s>', '</s>', ' ', 'e', 't', 'o', 'a', 'h', 's'];
    writeFileSync(
      join(dir, 'tokenizer.json'),
      JSON.stringify({
        version: '1.0',
        truncation: null,
        padding: null,
        normalizer: null,
        pre_tokenizer: null,
        post_processor: null,
        decoder: { type: 'Fuse' },
        added_tokens: tokens.slice(0, 4).map((content, id) => ({
          id,
          content,
          single_word: false,
          lstrip: false,
          rstrip: false,
          normalized: false,
          special: true,
        })),
        model: {
          type: 'BPE',
          dropout: null,
          unk_token: '[UNK]',
          continuing_subword_prefix: null,
          end_of_word_suffix: null,
          fuse_unk: false,
          byte_fallback: false,
          ignore_merges: false,
          vocab: Object.fromEntries(tokens.map((t, i) => [t, i])),
          merges: [],
        },
      }),
    );
    writeFileSync(
      join(dir, 'lm.json'),
      JSON.stringify({
        name: 'imported-lm',
        task: 'text-generation',
        tokenizer: { type: 'tokenizer.json', path: 'tokenizer.json' },
        embedding: { type: 'lookup', dim: 6 },
        encoder: { type: 'recurrent', cell: { type: 'lstm' }, hidden: 8 },
        head: { type: 'language-model', generate: { maxNewTokens: 5 } },
        weights: 'weights.safetensors',
      }),
    );
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("fills every parameter, and the imported model gives PyTorch's loss on the fixture batch", async () => {
    const argv = [
      'import',
      'torch',
      'model.safetensors',
      '--spec',
      'lm.json',
      '-o',
      'weights.safetensors',
      '--map',
      'embed.=embedding',
      '--map',
      'rnn.=encoder',
      '--map',
      'out.=head',
    ];
    const { code: exit, stdout, stderr } = await runCli(argv, dir);
    assert.equal(exit, 0, stderr);
    assert.match(stdout, /encoder <- rnn\.\* \(nn\.LSTM, 4 tensors\)/);
    assert.match(stdout, /6 tensors from 7 source tensors/);

    const imported = await readSafetensors(join(dir, 'weights.safetensors'));
    assert.match(imported.metadata['recur.training'] ?? '', /imported from a PyTorch state dict/);
    const encoder = (await createPart(
      recurrentRegistry(),
      'encoder',
      { type: 'recurrent', cell: { type: 'lstm' }, hidden: 8, path: 'scan' },
      { inputDim: 6 },
    )) as RecurrentEncoder;
    const graph = buildTrainingGraph((g) => languageModelForward(g, encoder, { vocab: 11, embed: 6 }));
    const session = await TrainSession.create(
      graph,
      ParamSet.fromTensors(graph.params, (n) => imported.get(n)),
      { threads: 1 },
    );
    try {
      const batch = await readSafetensors(join(fixtures, 'train-lm-lstm.safetensors'));
      const ids = batch.get('input.ids')!;
      const { loss } = await session.step({
        ids,
        targets: batch.get('input.targets')!,
        lengths: { dtype: 'int32', dims: [ids.dims[1]], data: new Int32Array(ids.dims[1]).fill(ids.dims[0]) },
      });
      const reference = Number(batch.get('output.loss0')!.data[0]);
      assert.ok(Math.abs(loss - reference) <= 1e-5 + 1e-4 * Math.abs(reference), `loss ${loss}, PyTorch ${reference}`);
    } finally {
      await session.release();
    }
    const ran = await runCli(['run', 'lm.json', '--text', 'the'], dir);
    assert.equal(ran.code, 0, ran.stderr);
  });

  it('without --map, refuses a state dict whose prefixes name no part, saying to map them (exit 2)', async () => {
    const { code: exit, stderr } = await runCli(
      ['import', 'torch', 'model.safetensors', '--spec', 'lm.json', '-o', 'other.safetensors'],
      dir,
    );
    assert.equal(exit, 2);
    assert.match(
      stderr,
      /no part of the spec \(embedding, encoder, head\) names a prefix of the state dict \(embed, out, rnn\)/,
    );
  });

  it('refuses a state dict whose head prefix is not mapped: the unused tensors and the unfilled parameters, exit 1', async () => {
    const unused = await runCli(
      [
        'import',
        'torch',
        'model.safetensors',
        '--spec',
        'lm.json',
        '-o',
        'x.safetensors',
        '--map',
        'embed.=embedding',
        '--map',
        'rnn.=encoder',
      ],
      dir,
    );
    assert.equal(unused.code, 1);
    assert.match(
      unused.stderr,
      /RECUR_E_RECURRENT_TORCH_UNUSED .*2 tensor\(s\) of the state dict are under no --map prefix: out\.bias, out\.weight/,
    );
    const wrongPart = await runCli(
      [
        'import',
        'torch',
        'model.safetensors',
        '--spec',
        'lm.json',
        '-o',
        'x.safetensors',
        '--map',
        'embed.=embedding',
        '--map',
        'rnn.=encoder',
        '--map',
        'out.=decoder',
      ],
      dir,
    );
    assert.equal(wrongPart.code, 1);
    assert.match(
      wrongPart.stderr,
      /RECUR_E_RECURRENT_TORCH_UNSUPPORTED .*the spec has no part "decoder" with parameters/,
    );
    // nn.Embedding(11, 6) into an embedding of dim 7: another size, refused by name.
    const wrongSize = await runCli(
      [
        'import',
        'torch',
        'model.safetensors',
        '--spec',
        'lm.json',
        '-o',
        'x.safetensors',
        '--map',
        'embed.=embedding',
        '--map',
        'rnn.=encoder',
        '--map',
        'out.=head',
        '--set',
        'embedding.dim=7',
      ],
      dir,
    );
    assert.equal(wrongSize.code, 1);
    assert.match(
      wrongSize.stderr,
      /RECUR_E_RECURRENT_TORCH_SHAPE .*embedding\.table from "embed\." is \[11, 6\], the spec's parameter is \[11, 7\]/,
    );
  });
});

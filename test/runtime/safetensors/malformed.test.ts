import { strict as assert } from 'node:assert';
import { parseSafetensors, serializeSafetensors, MAX_HEADER_BYTES } from '@recur/runtime/internal';
import { fileWith, fileWithHeaderBytes } from './helpers.js';
import { throwsWithCode } from '../../helpers/coded-error.js';

const INVALID = 'RECUR_E_WEIGHTS_INVALID';
const F = 'bad.safetensors';
const parse = (bytes: Uint8Array) => () => parseSafetensors(bytes, F);
const f32 = (name: string, shape: number[], begin: number, end: number) => ({
  [name]: { dtype: 'F32', shape, data_offsets: [begin, end] },
});

describe('safetensors: malformed files', () => {
  it('a file shorter than the 8-byte length', () => {
    throwsWithCode(parse(new Uint8Array(5)), INVALID, F, 'fewer than the 8-byte header length');
  });

  it('a header length beyond the file', () => {
    const bytes = fileWithHeaderBytes(new TextEncoder().encode('{}'), new Uint8Array(0), 1000n);
    throwsWithCode(parse(bytes), INVALID, F, 'header length 1000 runs past the end of the file (10 bytes)');
  });

  it('an absurd header length (over the 100 MB cap, or 2^64 - 1)', () => {
    for (const n of [BigInt(MAX_HEADER_BYTES) + 1n, 2n ** 64n - 1n]) {
      throwsWithCode(
        parse(fileWithHeaderBytes(new Uint8Array(2), new Uint8Array(0), n)),
        INVALID,
        F,
        `header length ${n} exceeds`,
      );
    }
  });

  it('a header that is not UTF-8, not JSON, or not an object', () => {
    throwsWithCode(
      parse(fileWithHeaderBytes(Uint8Array.from([0x7b, 0xff, 0x7d]), new Uint8Array(0))),
      INVALID,
      F,
      'not valid UTF-8',
    );
    throwsWithCode(parse(fileWith('{"a": ')), INVALID, F, 'header is not JSON');
    throwsWithCode(parse(fileWith('')), INVALID, F, 'header is not JSON');
    throwsWithCode(parse(fileWith('[1, 2]')), INVALID, F, 'must be a JSON object, got an array');
    throwsWithCode(parse(fileWith('null')), INVALID, F, 'got null');
    throwsWithCode(parse(fileWith('42')), INVALID, F, 'got number');
  });

  it('an entry that is not an object', () => {
    throwsWithCode(parse(fileWith({ w: [1, 2] })), INVALID, F, 'tensor "w"', 'entry must be an object');
  });

  it('an unknown dtype, naming the tensor and the readable ones', () => {
    const e = throwsWithCode(
      parse(fileWith({ w: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1))),
      INVALID,
      F,
      'tensor "w"',
      'unknown dtype "F8_E4M3"',
      'F32',
    );
    assert.equal(e.details['tensor'], 'w');
    assert.equal(e.details.file, F);
    throwsWithCode(
      parse(fileWith({ w: { shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4))),
      INVALID,
      'tensor "w"',
      'unknown dtype undefined',
    );
  });

  it('shapes that are not arrays of non-negative integers', () => {
    for (const shape of [[-1], [1.5], ['2'], 3, null, [2 ** 60]]) {
      const header = { w: { dtype: 'F32', shape, data_offsets: [0, 4] } };
      throwsWithCode(
        parse(fileWith(header, new Uint8Array(4))),
        INVALID,
        'tensor "w"',
        'shape must be an array of non-negative integers',
      );
    }
  });

  it('malformed data_offsets', () => {
    for (const offsets of [[0], [0, 4, 8], [-4, 0], [0, 'x'], null, [0.5, 4]]) {
      const header = { w: { dtype: 'F32', shape: [1], data_offsets: offsets } };
      throwsWithCode(
        parse(fileWith(header, new Uint8Array(4))),
        INVALID,
        'tensor "w"',
        'data_offsets must be [begin, end]',
      );
    }
    throwsWithCode(
      parse(fileWith(f32('w', [0], 4, 0), new Uint8Array(4))),
      INVALID,
      'tensor "w"',
      'end before they begin',
    );
  });

  it('a byte length that does not match the shape and dtype', () => {
    throwsWithCode(
      parse(fileWith(f32('w', [2, 2], 0, 12), new Uint8Array(12))),
      INVALID,
      'tensor "w"',
      'holds 12 bytes, but F32 [2, 2] needs 16',
    );
    // A huge shape whose byte count is no safe integer.
    throwsWithCode(
      parse(fileWith(f32('w', [2 ** 30, 2 ** 30, 2 ** 10], 0, 4), new Uint8Array(4))),
      INVALID,
      'tensor "w"',
      'needs',
    );
  });

  it('offsets beyond the data section', () => {
    throwsWithCode(
      parse(fileWith(f32('w', [2], 0, 8), new Uint8Array(4))),
      INVALID,
      F,
      'tensor "w"',
      'run past the data section (4 bytes)',
    );
  });

  it('overlapping tensors', () => {
    const header = { ...f32('a', [2], 0, 8), ...f32('b', [2], 4, 12) };
    throwsWithCode(parse(fileWith(header, new Uint8Array(12))), INVALID, 'tensor "b"', 'overlap tensor "a" [0, 8]');
  });

  it('a hole between tensors, before the first, or bytes after the last', () => {
    throwsWithCode(
      parse(fileWith({ ...f32('a', [1], 0, 4), ...f32('b', [1], 8, 12) }, new Uint8Array(12))),
      INVALID,
      'tensor "b"',
      'bytes 4..8 before it belong to no tensor',
    );
    throwsWithCode(parse(fileWith(f32('a', [1], 4, 8), new Uint8Array(8))), INVALID, 'tensor "a"', 'bytes 0..4');
    throwsWithCode(
      parse(fileWith(f32('a', [1], 0, 4), new Uint8Array(9))),
      INVALID,
      F,
      'has 9 bytes but the tensors cover only 4',
    );
  });

  it('__proto__ and friends as tensor or metadata keys', () => {
    const proto = '{"__proto__": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}';
    throwsWithCode(parse(fileWith(proto, new Uint8Array(4))), INVALID, 'tensor "__proto__"', 'not allowed');
    throwsWithCode(
      parse(fileWith({ constructor: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4))),
      INVALID,
      'not allowed',
    );
    throwsWithCode(
      parse(fileWith('{"__metadata__": {"__proto__": "x"}}')),
      INVALID,
      '__metadata__ key "__proto__" is not allowed',
    );
    assert.equal(({} as Record<string, unknown>)['x'], undefined);
  });

  it('metadata that is not an object of strings', () => {
    throwsWithCode(
      parse(fileWith({ __metadata__: { epochs: 8 } })),
      INVALID,
      '__metadata__.epochs must be a string, got number',
    );
    throwsWithCode(parse(fileWith({ __metadata__: ['a'] })), INVALID, '__metadata__ must be an object of strings');
  });

  it('the serializer refuses what it could not write correctly', () => {
    throwsWithCode(
      () => serializeSafetensors({ w: { dtype: 'float32', dims: [3], data: new Float32Array(2) } }),
      INVALID,
      'tensor "w"',
      '2 values for shape [3]',
    );
    throwsWithCode(
      () => serializeSafetensors({ w: { dtype: 'float32', dims: [2], data: new Float64Array(2) } }),
      INVALID,
      'float32 data must be a Float32Array',
    );
    throwsWithCode(
      () => serializeSafetensors({ __metadata__: { dtype: 'uint8', dims: [0], data: new Uint8Array(0) } }),
      INVALID,
      'reserved',
    );
    throwsWithCode(() => serializeSafetensors({}, { n: 3 as unknown as string }), INVALID, 'values strings');
  });
});

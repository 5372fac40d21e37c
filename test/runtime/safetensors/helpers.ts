import { strict as assert } from 'node:assert';
import { RecurError } from '@recur/runtime';

/** Builds a safetensors file from a header object (or raw header text) and a data section. */
export function fileWith(header: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  return fileWithHeaderBytes(text, data);
}

export function fileWithHeaderBytes(
  headerBytes: Uint8Array,
  data: Uint8Array,
  declaredLength: bigint = BigInt(headerBytes.byteLength),
): Uint8Array {
  const out = new Uint8Array(8 + headerBytes.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, declaredLength, true);
  out.set(headerBytes, 8);
  out.set(data, 8 + headerBytes.byteLength);
  return out;
}

/** Asserts that `fn` throws a RecurError with `code` whose message contains every fragment. */
export function assertRecurError(fn: () => unknown, code: string, ...fragments: string[]): RecurError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(RecurError.is(caught), `expected a RecurError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  for (const f of fragments)
    assert.ok(caught.message.includes(f), `message ${JSON.stringify(caught.message)} lacks ${JSON.stringify(f)}`);
  return caught;
}

export async function assertRejectsWith(
  promise: Promise<unknown>,
  code: string,
  ...fragments: string[]
): Promise<RecurError> {
  let caught: unknown;
  let rejected = false;
  try {
    await promise;
  } catch (err) {
    caught = err;
    rejected = true;
  }
  return assertRecurError(
    () => {
      if (rejected) throw caught;
    },
    code,
    ...fragments,
  );
}

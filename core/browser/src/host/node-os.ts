/** The browser host's `node:os`: byte order (every browser platform is little-endian); no temporary folder. */
export function endianness(): 'LE' {
  return 'LE';
}

export function tmpdir(): never {
  throw new Error('the browser has no temporary folder');
}

export default { endianness, tmpdir };

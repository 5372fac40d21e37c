import type { Initializer, ParamDecl } from './graph-builder.js';
import type { TensorData } from './tensor-data.js';

/**
 * mulberry32: a small, fast 32-bit PRNG with a documented algorithm, so that seeded initialisation
 * gives the same numbers on every machine and in every language that implements it.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string: gives every parameter its own stream, independent of declaration order. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Fresh values for one declared parameter, from its initializer and a seed. */
export function initialValue(decl: ParamDecl, seed: number): TensorData {
  const n = decl.dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  const rand = mulberry32((hashName(decl.name) ^ Math.imul(seed, 0x9e3779b1)) >>> 0);
  fill(data, decl.init, decl.dims, rand);
  return { dtype: 'float32', dims: [...decl.dims], data };
}

function fill(data: Float32Array, init: Initializer, dims: readonly number[], rand: () => number): void {
  switch (init.kind) {
    case 'zeros':
      return;
    case 'ones':
      data.fill(1);
      return;
    case 'constant':
      data.fill(init.value);
      return;
    case 'uniform': {
      if ('bound' in init) for (let i = 0; i < data.length; i++) data[i] = (rand() * 2 - 1) * init.bound;
      else for (let i = 0; i < data.length; i++) data[i] = init.low + rand() * (init.high - init.low);
      return;
    }
    case 'normal':
      for (let i = 0; i < data.length; i++) data[i] = gaussian(rand) * init.std;
      return;
    case 'xavier': {
      const fanOut = dims.length >= 2 ? dims[dims.length - 2] : (dims[0] ?? 1);
      const fanIn = dims.length >= 2 ? dims[dims.length - 1] : (dims[0] ?? 1);
      const bound = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < data.length; i++) data[i] = (rand() * 2 - 1) * bound;
      return;
    }
  }
}

function gaussian(rand: () => number): number {
  // Box-Muller; 1 - u keeps log() away from 0.
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

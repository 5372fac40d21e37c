import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readSafetensors, writeSafetensors, type TensorData } from '@recur/runtime';

/** A copy of pipelines/demo.json and its folder in a fresh temporary folder, to damage at will. */
export interface DemoCopy {
  readonly dir: string;
  readonly spec: string;
  readonly weights: string;
  /** Rewrites the copy's weights: `edit` changes tensors (and metadata) in place. */
  editWeights(edit: (tensors: Map<string, TensorData>, metadata: Record<string, string>) => void): Promise<void>;
  remove(): Promise<void>;
}

export async function demoCopy(): Promise<DemoCopy> {
  const dir = await mkdtemp(join(tmpdir(), 'recur-demo-'));
  await cp(resolve('pipelines/demo.json'), join(dir, 'demo.json'));
  await cp(resolve('pipelines/demo'), join(dir, 'demo'), { recursive: true });
  const weights = join(dir, 'demo', 'weights.safetensors');
  return {
    dir,
    spec: join(dir, 'demo.json'),
    weights,
    async editWeights(edit) {
      const store = await readSafetensors(weights);
      const tensors = new Map(store.names().map((n) => [n, store.get(n)!] as const));
      const metadata = { ...store.metadata };
      edit(tensors, metadata);
      await writeSafetensors(weights, tensors, metadata);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

import { readFile } from 'node:fs/promises';
import { specHash } from '@recur/runtime/internal';

/** The BullMQ queue of a pipeline's sweep trials (BullMQ names may not contain `:`). */
export function sweepQueueName(pipeline: string): string {
  return `recur-sweep.${pipeline}`;
}

/** sha256 of a spec file's canonical JSON, as the sweep and its workers compare it. */
export async function specFileHash(specPath: string): Promise<string> {
  return specHash(await readFile(specPath, 'utf8'));
}

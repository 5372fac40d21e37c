import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { type Pipeline } from '@recur/runtime';
import { specHash } from '@recur/runtime/internal';

/** What a worker compares with a job before running it: its own copy of the pipeline must be the producer's. */
export interface PipelineFingerprint {
  /** sha256 of the filled spec without `runtime` (threads, batch size and providers may differ per machine). */
  readonly spec: string;
  /** sha256 of the weights file's bytes. */
  readonly weights: string;
}

/** The fingerprint of a loaded pipeline, the same on every machine that has the same files. */
export async function pipelineFingerprint(pipeline: Pipeline): Promise<PipelineFingerprint> {
  const { runtime: _runtime, $schema: _schema, description: _description, ...meaning } = pipeline.spec;
  const weights =
    typeof pipeline.spec['weights'] === 'string'
      ? await fileSha256(resolve(pipeline.specDir, pipeline.spec['weights']))
      : 'none';
  return { spec: specHash(meaning), weights };
}

/** The first differences between two fingerprints, in words; empty when they match. */
export function fingerprintDifferences(mine: PipelineFingerprint, theirs: PipelineFingerprint): string[] {
  const out: string[] = [];
  if (mine.spec !== theirs.spec)
    out.push(`the filled spec differs (job ${theirs.spec.slice(0, 12)}, here ${mine.spec.slice(0, 12)})`);
  if (mine.weights !== theirs.weights)
    out.push(`the weights file differs (job sha256 ${theirs.weights.slice(0, 12)}, here ${mine.weights.slice(0, 12)})`);
  return out;
}

export function fileSha256(path: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => hash.update(d))
      .on('error', fail)
      .on('end', () => {
        done(hash.digest('hex'));
      });
  });
}

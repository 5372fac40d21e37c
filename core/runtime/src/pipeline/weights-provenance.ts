import { E } from '../errors/runtime-errors.js';
import type { Logger } from '../logger.js';
import { checkProvenance, modelHash, PROVENANCE_KEYS, tokenizerHash } from '../safetensors/provenance.js';
import type { WeightStore } from '../safetensors/weight-store.js';

/** How a pipeline treats weights that record another spec or tokenizer (`runtime.provenance`). */
export type ProvenancePolicy = 'warn' | 'error';

/**
 * Compares what a weights file records about its making (`model_sha256`, `tokenizer_sha256`, the
 * Recur version) with the spec and tokenizer file(s) being loaded. Any difference gives one warning
 * naming what differs, or, with the `'error'` policy, RECUR_E_WEIGHTS_PROVENANCE. Weights that record
 * nothing (made outside Recur) pass. A file written before Recur recorded `model_sha256` is judged
 * by its `spec_sha256`, the hash of the whole spec file (`specFileHash`), which any edit changes.
 * `tokenizerFiles` are the spec's tokenizer files in pointer order, as training hashes them, read
 * with `read` (the pipeline's file host).
 */
export async function checkWeightsProvenance(
  store: WeightStore,
  spec: Readonly<Record<string, unknown>>,
  specFileHash: string,
  tokenizerFiles: readonly string[],
  policy: ProvenancePolicy,
  logger: Logger,
  read: (location: string) => Promise<Uint8Array>,
): Promise<void> {
  const recordsTokenizer = Object.hasOwn(store.metadata, PROVENANCE_KEYS.tokenizerHash);
  const tokenizers = recordsTokenizer && tokenizerFiles.length > 0 ? await Promise.all(tokenizerFiles.map(read)) : [];
  const recordsModel = Object.hasOwn(store.metadata, PROVENANCE_KEYS.modelHash);
  const differences = checkProvenance(store, {
    ...(recordsModel ? { modelHash: modelHash(spec) } : { specHash: specFileHash }),
    ...(tokenizers.length > 0 ? { tokenizerHash: tokenizerHash(tokenizers) } : {}),
  });
  if (differences.length === 0) return;
  const message = `${differences.join('; ')}. The answers may mean nothing: retrain for this spec, or point it at its own weights`;
  const error = E.WEIGHTS_PROVENANCE(message, {
    file: store.source,
    pointer: '/weights',
    expected: 'weights trained for this spec and tokenizer',
  });
  if (policy === 'error') throw error;
  logger.warn(`${message} (set runtime.provenance to "error", CLI --strict-provenance, to refuse such weights)`, {
    file: store.source,
    error,
  });
}

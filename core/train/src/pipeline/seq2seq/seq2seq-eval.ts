import type { Pipeline } from '@recur/runtime';
import type { TextPair } from '../../data/record-types.js';
import { corpusBleu } from '../../metrics/bleu.js';
import type { DevResult } from '../objective.js';

/** How dev translations are searched. */
export interface TranslateSettings {
  /** Beam size; unset: the spec's `head.search` default. */
  readonly beam?: number;
  /** Sentences per `run` call. @defaultValue 64 */
  readonly chunk?: number;
}

/**
 * Translates every source of `pairs` through a loaded pipeline (the shipped inference graphs and
 * search), in chunks of similar length so that little time goes into padding; returns the
 * translations in the pairs' order.
 */
export async function translateAll(
  pipeline: Pipeline,
  sources: readonly string[],
  settings: TranslateSettings = {},
): Promise<string[]> {
  const order = sources.map((_, i) => i).sort((a, b) => sources[a].length - sources[b].length);
  const out = new Array<string>(sources.length);
  const chunk = settings.chunk ?? 64;
  const options = settings.beam !== undefined ? { beam: settings.beam } : {};
  for (let at = 0; at < order.length; at += chunk) {
    const indices = order.slice(at, at + chunk);
    const results = (await pipeline.run(
      indices.map((i) => sources[i]),
      options,
    )) as unknown[];
    indices.forEach((index, k) => (out[index] = translationText(results[k])));
  }
  return out;
}

/** `{ translation_text }`, or the first of a list of them. */
function translationText(result: unknown): string {
  const first: unknown = Array.isArray(result) ? result[0] : result;
  const text = (first as { translation_text?: unknown } | undefined)?.translation_text;
  return typeof text === 'string' ? text : '';
}

/**
 * Corpus BLEU of the pipeline's translations of the dev pairs against their references, with
 * The definition of docs/reference/metrics.md (corpus BLEU-4, lowercased Unicode word tokens, no smoothing).
 */
export async function bleuOnPairs(
  pipeline: Pipeline,
  pairs: readonly TextPair[],
  settings: TranslateSettings & { readonly keepPredictions?: boolean } = {},
): Promise<DevResult> {
  const started = Date.now();
  const hypotheses = await translateAll(
    pipeline,
    pairs.map((p) => p.source),
    settings,
  );
  const result = corpusBleu(
    hypotheses,
    pairs.map((p) => p.target),
  );
  return {
    metric: 'bleu',
    value: result.bleu,
    higherIsBetter: true,
    details: {
      sentences: pairs.length,
      ...(settings.beam !== undefined ? { beam: settings.beam } : {}),
      precisions: result.precisions.map((p) => round(p, 4)),
      brevityPenalty: round(result.brevityPenalty, 4),
      lengthRatio: round(result.lengthRatio, 4),
      seconds: round((Date.now() - started) / 1000, 1),
    },
    ...(settings.keepPredictions ? { predictions: hypotheses } : {}),
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

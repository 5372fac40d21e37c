// Type-level test of typed pipelines: compiled by tsc (npm test), never run. Each `sameType` call fails
// the build when `run` declares another result type than the one written beside it; each
// `@ts-expect-error` fails it when a wrong use stops being an error.
import {
  createRegistry,
  load,
  type GeneratedTextResult,
  type LabelScore,
  type Pipeline,
  type TranslationResult,
} from '@recur/cli';

/** `true` when A and B are assignable to each other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Compiles only when `actual` and `expected` have the same type (`same` cannot be `true` otherwise). */
function sameType<A, B>(_actual: A, _expected: B, _same: Same<A, B>): void {}

// Values of the expected types, for sameType's second argument (declared only: this file never runs).
declare const classifier: Pipeline<'text-classification'>;
declare const anyTask: Pipeline;
declare const labelScores: LabelScore[];
declare const labelScoreLists: LabelScore[][];
declare const labelScoresOrLists: (LabelScore | LabelScore[])[];
declare const generatedTexts: GeneratedTextResult[];
declare const generatedTextLists: GeneratedTextResult[][];
declare const translations: TranslationResult[];
declare const translationLists: TranslationResult[][];
declare const unknownResult: unknown;

export async function typedLoad(): Promise<void> {
  const registry = createRegistry();
  const sentiment = await load('pipelines/sentiment.json', { registry, task: 'text-classification' });
  sameType(sentiment, classifier, true);
  const alias = await load('pipelines/sentiment.json', { registry, task: 'sentiment-analysis' });
  sameType(await alias.run('A lovely film.'), labelScores, true);
  const untyped = await load('pipelines/sentiment.json', { registry });
  sameType(untyped, anyTask, true);
  // @ts-expect-error a task name no package declares (a typo) is refused
  await load('pipelines/sentiment.json', { registry, task: 'text-clasification' });
}

export async function classification(p: Pipeline<'text-classification'>, k: number): Promise<unknown> {
  const one = await p.run('A lovely film.');
  sameType(one, labelScores, true);
  sameType(await p.run(['Lovely.', 'Dull.']), labelScores, true);
  sameType(await p.run(['Lovely.'], { topK: 1 }), labelScores, true);
  sameType(await p.run(['Lovely.'], { topK: 2 }), labelScoreLists, true);
  sameType(await p.run(['Lovely.'], { topK: null }), labelScoreLists, true);
  sameType(await p.run(['Lovely.'], { topK: k }), labelScoresOrLists, true);
  // @ts-expect-error a wrong expectation does not compile
  sameType(await p.run(['Lovely.'], { topK: 2 }), labelScores, true);
  // @ts-expect-error classification takes text
  await p.run(42);
  // @ts-expect-error topK is a number or null
  await p.run('A lovely film.', { topK: 'two' });
  // @ts-expect-error a classification result has no generated_text
  return one[0]?.generated_text;
}

export async function generation(p: Pipeline<'text-generation'>): Promise<unknown> {
  const one = await p.run('ROMEO:\n', { maxNewTokens: 20 });
  sameType(one, generatedTexts, true);
  sameType(await p.run(['ROMEO:\n', 'JULIET:\n']), generatedTextLists, true);
  // @ts-expect-error temperature is a number
  await p.run('ROMEO:\n', { temperature: 'hot' });
  // @ts-expect-error a generation result has no label
  return one[0]?.label;
}

export async function translation(p: Pipeline<'translation'>): Promise<void> {
  sameType(await p.run('Ein Hund läuft.'), translations, true);
  sameType(await p.run(['Ein Hund läuft.', 'Eine Frau trinkt.'], { beam: 5 }), translations, true);
  const several = await p.run(['Ein Hund läuft.'], { beam: 5, numReturnSequences: 2 });
  sameType(several, translationLists, true);
}

export async function untyped(p: Pipeline): Promise<void> {
  sameType(await p.run(42, { whatever: true }), unknownResult, true);
}

/** Code written for any pipeline takes a typed one too. */
export function typedIsAPipeline(): Pipeline[] {
  return [classifier];
}

// Type-level test of typed pipelines: compiled by tsc (npm test), never run. Each `Expect<Equal<...>>`
// fails the build when `run` declares another result type; each `@ts-expect-error` fails it when a
// wrong use stops being an error.
import {
  createRegistry,
  load,
  type GeneratedTextResult,
  type LabelScore,
  type Pipeline,
  type TranslationResult,
} from '@recur/cli';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when its type argument is `true`. */
function expect<_T extends true>(): void {}

export async function typedLoad(): Promise<void> {
  const registry = createRegistry();
  const sentiment = await load('pipelines/sentiment.json', { registry, task: 'text-classification' });
  expect<Equal<typeof sentiment, Pipeline<'text-classification'>>>();
  const alias = await load('pipelines/sentiment.json', { registry, task: 'sentiment-analysis' });
  const aliased = await alias.run('A lovely film.');
  expect<Equal<typeof aliased, LabelScore[]>>();
  const untyped = await load('pipelines/sentiment.json', { registry });
  expect<Equal<typeof untyped, Pipeline>>();
  // @ts-expect-error a task name no package declares (a typo) is refused
  await load('pipelines/sentiment.json', { registry, task: 'text-clasification' });
}

export async function classification(p: Pipeline<'text-classification'>, k: number): Promise<void> {
  const one = await p.run('A lovely film.');
  expect<Equal<typeof one, LabelScore[]>>();
  const batch = await p.run(['Lovely.', 'Dull.']);
  expect<Equal<typeof batch, LabelScore[]>>();
  const top1 = await p.run(['Lovely.'], { topK: 1 });
  expect<Equal<typeof top1, LabelScore[]>>();
  const top2 = await p.run(['Lovely.'], { topK: 2 });
  expect<Equal<typeof top2, LabelScore[][]>>();
  const all = await p.run(['Lovely.'], { topK: null });
  expect<Equal<typeof all, LabelScore[][]>>();
  const unknownCount = await p.run(['Lovely.'], { topK: k });
  expect<Equal<typeof unknownCount, (LabelScore | LabelScore[])[]>>();
  // @ts-expect-error classification takes text
  await p.run(42);
  // @ts-expect-error topK is a number or null
  await p.run('A lovely film.', { topK: 'two' });
  // @ts-expect-error a classification result has no generated_text
  one[0]?.generated_text;
}

export async function generation(p: Pipeline<'text-generation'>): Promise<void> {
  const one = await p.run('ROMEO:\n', { maxNewTokens: 20 });
  expect<Equal<typeof one, GeneratedTextResult[]>>();
  const batch = await p.run(['ROMEO:\n', 'JULIET:\n']);
  expect<Equal<typeof batch, GeneratedTextResult[][]>>();
  // @ts-expect-error temperature is a number
  await p.run('ROMEO:\n', { temperature: 'hot' });
  // @ts-expect-error a generation result has no label
  one[0]?.label;
}

export async function translation(p: Pipeline<'translation'>): Promise<void> {
  const one = await p.run('Ein Hund läuft.');
  expect<Equal<typeof one, TranslationResult[]>>();
  const batch = await p.run(['Ein Hund läuft.', 'Eine Frau trinkt.'], { beam: 5 });
  expect<Equal<typeof batch, TranslationResult[]>>();
  const several = await p.run(['Ein Hund läuft.'], { beam: 5, numReturnSequences: 2 });
  expect<Equal<typeof several, TranslationResult[][]>>();
}

export async function untypedPipeline(p: Pipeline): Promise<void> {
  const anything = await p.run(42, { whatever: true });
  expect<Equal<typeof anything, unknown>>();
}

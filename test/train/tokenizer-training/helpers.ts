import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger, type TokenizerPart } from '@recur/runtime';
import { writeTokenizerJson, type TrainedTokenizer } from '@recur/train';
import { readTokenizerJson } from '@recur/tokenizers';
import { trainData } from '../data/fixture-path.js';

/** The public-domain Shakespeare excerpt of the fixtures. */
export const SHAKESPEARE = readFileSync(trainData('shakespeare-head.txt'), 'utf8');

const dir = mkdtempSync(join(tmpdir(), 'recur-tok-'));
let counter = 0;

/** Writes the trained tokenizer to a file and loads it back through Recur's tokenizer plugin. */
export async function loadBack(trained: TrainedTokenizer): Promise<TokenizerPart> {
  const path = join(dir, `tokenizer-${counter++}.json`);
  await writeTokenizerJson(path, trained.json);
  return readTokenizerJson(path, {}, memoryLogger());
}

import { fileURLToPath } from 'node:url';

/** The path of a file under test/fixtures/train-data (tests run from test/dist/train/<folder>). */
export function trainData(name: string): string {
  return fileURLToPath(new URL(`../../../fixtures/train-data/${name}`, import.meta.url));
}

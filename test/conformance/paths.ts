import { fileURLToPath } from 'node:url';

/** test/fixtures/<name>, from the compiled test/dist/conformance folder. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
}

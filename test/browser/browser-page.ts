import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { createRegistry, load, type Pipeline } from '@recur/cli';
import { memoryLogger } from '@recur/runtime';
import { launchChromium } from '../services/chromium.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const PIPELINES = join(ROOT, 'pipelines');
/** onnxruntime-web's dist folder: its .wasm and .mjs files, served under /playground/ort/. */
const ORT_DIST = dirname(createRequire(join(ROOT, 'core', 'browser', 'package.json')).resolve('onnxruntime-web/wasm'));
const BUNDLE_DIR = join(ROOT, 'core', 'browser', 'dist');

// The bench runs the same server; its compiled module sits outside test/dist, so it is imported by URL.
const { startStaticServer } = (await import(
  new URL('../../../bench/dist/lib/static-server.js', import.meta.url).href
)) as typeof import('../../bench/dist/lib/static-server.js');

/** The page the tests open: empty; the tests import the bundle into it. */
const PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Recur</title></head><body></body></html>';

/** Chromium on a page of a loopback static server with the bundle, ORT's wasm files and the pipelines. */
export interface BrowserPage {
  readonly page: Page;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the repository's pipelines/ folder at /pipelines/, the bundle at /playground/recur-browser.js
 * and onnxruntime-web's files at /playground/ort/ (the playground's layout), plus `files` held in
 * memory, and opens the page at / in headless chromium. `isolated` adds the COOP/COEP headers.
 */
export async function openBrowserPage(
  options: { isolated?: boolean; files?: Readonly<Record<string, string>> } = {},
): Promise<BrowserPage> {
  const server = await startStaticServer({
    mounts: { '/pipelines/': PIPELINES, '/playground/ort/': ORT_DIST, '/playground/': BUNDLE_DIR },
    files: { '/': PAGE, ...options.files },
    ...(options.isolated ? { isolated: true } : {}),
  });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    const opened = browser;
    return {
      page,
      url: server.url,
      close: async () => {
        await opened.close();
        await server.close();
      },
    };
  } catch (err) {
    await browser?.close();
    await server.close();
    throw err;
  }
}

/** What `runInPage` sends back: the value, or the coded error the page's call rejected with. */
export type PageOutcome =
  | { ok: true; value: unknown; warnings: string[]; isolated: boolean }
  | { ok: false; code: string | undefined; message: string; errors: string[] };

/**
 * Loads `spec` (a URL path on the server) with the bundle in the page and runs each input with
 * `callOptions`; the pipeline is disposed afterwards. Errors come back as their code and message.
 */
export function runInPage(
  page: Page,
  spec: string,
  inputs: readonly unknown[],
  callOptions: Record<string, unknown> = {},
  loadOptions: Record<string, unknown> = {},
): Promise<PageOutcome> {
  return page.evaluate(
    async ({ spec, inputs, callOptions, loadOptions }) => {
      const warnings: string[] = [];
      const logger = {
        debug: () => undefined,
        info: () => undefined,
        warn: (msg: string) => warnings.push(msg),
        error: (msg: string) => warnings.push(msg),
      };
      try {
        const bundle: string = '/playground/recur-browser.js'; // a URL of the page, not a module of this program
        const recur = (await import(bundle)) as {
          load(
            url: string,
            o: object,
          ): Promise<{ run(i: unknown, o: object): Promise<unknown>; dispose(): Promise<void> }>;
        };
        const pipeline = await recur.load(spec, { wasmPaths: '/playground/ort/', logger, ...loadOptions });
        try {
          const value: unknown[] = [];
          for (const input of inputs) value.push(await pipeline.run(input, callOptions));
          return {
            ok: true as const,
            value,
            warnings,
            isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
          };
        } finally {
          await pipeline.dispose();
        }
      } catch (err) {
        const e = err as { code?: string; message?: string; errors?: { code: string }[] };
        const errors = (e.errors ?? []).map((inner) => inner.code);
        return { ok: false as const, code: e.code, message: String(e.message), errors };
      }
    },
    { spec, inputs, callOptions, loadOptions },
  );
}

/** The results of Node's runtime (onnxruntime-node) for the same spec, inputs and options. */
export async function nodeResults(
  name: string,
  inputs: readonly string[],
  options: Record<string, unknown>,
): Promise<unknown[]> {
  const pipeline: Pipeline = await load(join(PIPELINES, `${name}.json`), {
    registry: createRegistry(),
    logger: memoryLogger(),
  });
  try {
    const out: unknown[] = [];
    for (const input of inputs) out.push(await pipeline.run(input, options));
    return out;
  } finally {
    await pipeline.dispose();
  }
}

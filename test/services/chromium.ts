import { chromium, type Browser } from 'playwright-core';
import { findBinary } from './find-binary.js';

/**
 * Debian's chromium, headless, driven by playwright-core through the system binary (playwright's own
 * browser downloads are never used). A missing browser fails the suite with the command that installs
 * it, as for the other real services.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findBinary('chromium');
  return chromium.launch({
    executablePath,
    headless: true,
    // No sandbox: the tests run as root in CI, where chromium refuses its sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run', '--disable-extensions'],
  });
}

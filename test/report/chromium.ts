// Headless Debian Chromium for the HTML report tests (through playwright-core), or a message saying why they skip.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

export function warnNoChromium(what: string): void {
  if (!hasChromium) console.warn(`Skipping the browser test of ${what}: no Chromium at ${chromiumPath} (Debian: apt-get install -y chromium; .ci/run installs it).`);
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    // Headless, with a fresh empty profile (playwright's own); without the background-networking flags Chromium
    // tries Google's hosts at every start (see the machine notes).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface OpenedPage {
  page: Page;
  url: string;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Every request the page made (the file itself first). */
  requests: string[];
  /** Content-Security-Policy violations so far, as `<directive> <blocked URI>`. */
  violations: () => Promise<string[]>;
}

/** Writes `html` to `dir/name` and opens it from its file:// URL, recording errors, requests and CSP violations. */
export async function openPage(browser: Browser, dir: string, name: string, html: string): Promise<OpenedPage> {
  const file = path.join(dir, name);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('request', (request) => requests.push(request.url()));
  // Listening before the page's own script runs: any blocked inline script, style or fetch shows up.
  await page.addInitScript(() => {
    const seen: string[] = [];
    type Violation = { violatedDirective: string; blockedURI: string };
    const scope = globalThis as unknown as { __violations?: string[]; document: { addEventListener(type: string, listener: (event: Violation) => void): void } };
    scope.__violations = seen;
    scope.document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, url, errors, requests, violations: () => page.evaluate(() => (globalThis as { __violations?: string[] }).__violations ?? []) };
}

// `periscope findings --format html`: the query's findings as a self-contained page — escaped, no request, no CSP
// violation, and a filter over the rows — checked as text and in headless Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetFindingRow, FleetFindingsResult } from '../../shared/model/fleet.ts';
import { contentSecurityPolicy } from '../../shared/report/html.ts';
import { renderFindingsHtml } from '../../shared/report/fleet-findings-html.ts';
import { hasChromium, launchChromium, openPage, warnNoChromium } from './chromium.ts';

const xss = '<img src=x onerror="globalThis.__xss=1">';

const row = (overrides: Partial<FleetFindingRow>): FleetFindingRow => ({
  clusterId: 'eks:arn:aws:eks:eu-west-1:111122223333:cluster/prod',
  clusterName: 'prod',
  fingerprint: '0123456789abcdef0123456789abcdef',
  ruleId: 'privileged-container',
  severity: 'critical',
  status: 'OPEN',
  namespace: 'shop',
  kind: 'Deployment',
  name: 'web',
  container: 'app',
  message: 'Container app runs privileged',
  frameworks: ['owasp-k8s:K01'],
  firstSeenAt: '2026-12-01T10:00:00.000Z',
  lastSeenAt: '2026-12-02T10:00:00.000Z',
  changedAt: '2026-12-01T10:00:00.000Z',
  ...overrides,
});

const result = (findings: FleetFindingRow[], errors: string[] = []): FleetFindingsResult => ({ query: { status: 'open' }, findings, errors });

const hostile = result(
  [
    row({}),
    row({ clusterId: 'c2', clusterName: xss, ruleId: 'host-network', severity: 'high', name: xss, message: `message ${xss}`, suppressionReason: xss }),
    row({ clusterId: 'c3', clusterName: 'dev', severity: 'low', ruleId: 'missing-resource-limits' }),
  ],
  [`item ${xss} could not be read`],
);

describe('renderFindingsHtml', () => {
  it('is one page under the reports’ Content-Security-Policy, every value escaped', () => {
    const html = renderFindingsHtml(hostile, new Date('2026-12-02T12:00:00Z'));
    expect(html).toContain(`content="${contentSecurityPolicy}"`);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=');
    expect(html).toMatch(/3 open findings on 3 clusters/);
    expect(html.match(/<tr><td><span class="badge/g)).toHaveLength(3);
    expect(html).toContain('id="errors"');
  });

  it('says when nothing matches', () => {
    const html = renderFindingsHtml(result([]));
    expect(html).toContain('No open findings match.');
    expect(html).not.toContain('<table>');
  });
});

warnNoChromium('the fleet findings page');

describe.skipIf(!hasChromium)('the fleet findings page in headless Chromium', () => {
  let dir: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'periscope-findings-html-'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs no script from a name, violates no CSP, requests nothing; the filter hides rows', async () => {
    const { page, url, errors, requests, violations } = await openPage(browser, dir, 'findings.html', renderFindingsHtml(hostile));
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await violations()).toEqual([]);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#findings tbody tr').nth(1).locator('td').nth(1).textContent()).toBe(xss);
    await page.fill('#filter', 'dev');
    expect(await page.locator('#findings tbody tr:not([hidden])').count()).toBe(1);
    await page.fill('#filter', '');
    expect(await page.locator('#findings tbody tr:not([hidden])').count()).toBe(3);
  }, 60_000);
});

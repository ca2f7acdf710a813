// The fleet HTML report: what each section shows, escaping of hostile cluster, rule and error names, and the page in
// headless Chromium (no script from a name runs, no CSP violation, no network request).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { severities, type Severity } from '../../shared/model/finding.ts';
import { emptySeverityCounts, fleetViewOf, riskScore, type FleetClusterRow, type FleetInventory, type FleetOpenTally, type FleetView } from '../../shared/model/fleet.ts';
import { renderFleetHtml } from '../../shared/report/fleet-html.ts';
import { hasChromium, launchChromium, openPage, warnNoChromium } from './chromium.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const xss = `x"><img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
const evilRule = `rule<svg onload="window.__xss=3">`;
const at = '2026-12-02T12:00:00.000Z';
const days = ['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'];

function counts(values: Partial<Record<Severity, number>>): Record<Severity, number> {
  return { ...emptySeverityCounts(), ...values };
}

function cluster(name: string, open: Partial<Record<Severity, number>>, extra: Partial<FleetClusterRow> = {}): FleetClusterRow {
  const o = counts(open);
  const total = severities.reduce((sum, s) => sum + o[s], 0);
  const attackPaths = extra.attackPaths ?? 0;
  return {
    clusterId: `arn:aws:eks:eu-west-1:111122223333:cluster/${name}`,
    name,
    accountId: '111122223333',
    region: 'eu-west-1',
    version: '1.31',
    support: { phase: 'standard' },
    deleted: false,
    lastScanAt: '2026-12-02T10:00:00.000Z',
    lastScanResult: 'succeeded',
    coverageProblems: [],
    stale: false,
    open: o,
    openTotal: total,
    suppressed: 1,
    attackPaths,
    trend: { opened: 3, resolved: 1, scans: 7, failedScans: 0, days: days.map((day, i) => ({ day, opened: i % 2, resolved: i % 3 === 0 ? 1 : 0, open: Math.max(0, total - days.length + i + 1) })) },
    risk: riskScore(o, attackPaths),
    ...extra,
  };
}

function fleet(): FleetView {
  const prod = cluster('prod', { critical: 2, high: 5, medium: 9 }, { attackPaths: 1 });
  const evil = cluster(xss, { high: 3, low: 2 }, { lastScanResult: 'failed', lastScanError: `403 from <b>${xss}</b>`, stale: true, lastScanAt: '2026-11-20T00:00:00.000Z' });
  const dev = cluster('dev', { medium: 1 }, { coverageProblems: [{ kind: 'Secret', error: 'forbidden' }], lastScanResult: 'partial' });
  const fresh = cluster('fresh', {}, { lastScanResult: 'never', stale: true, trend: { opened: 0, resolved: 0, scans: 0, failedScans: 0, days: [] } });
  const gone = cluster('gone', { critical: 50 }, { deleted: true });
  const inventory: FleetInventory = { at, since: '2026-11-26T00:00:00.000Z', clusters: [dev, evil, prod, fresh, gone], errors: [`CLUSTER#${xss} FINDING#1: not a finding`] };
  const tally: FleetOpenTally = {
    byCategory: {
      [prod.clusterId]: { K01: 12, K03: 3, K07: 1 },
      [evil.clusterId]: { K01: 5 },
      [dev.clusterId]: { K08: 1 },
      [gone.clusterId]: { K01: 50 },
    },
    byRule: {
      'privileged-container': { severity: 'critical', clusters: { [prod.clusterId]: 2, [gone.clusterId]: 50 } },
      'image-latest-tag': { severity: 'medium', clusters: { [prod.clusterId]: 9, [evil.clusterId]: 2, [dev.clusterId]: 1 } },
      [evilRule]: { severity: 'high', clusters: { [evil.clusterId]: 3, [prod.clusterId]: 5 } },
    },
    errors: [],
  };
  return fleetViewOf(inventory, tally);
}

function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  if (start < 0) return '';
  return html.slice(start, html.indexOf('</section>', start));
}

describe('renderFleetHtml', () => {
  const view = fleet();
  const html = renderFleetHtml(view);

  it('escapes hostile cluster names, rule ids and error texts everywhere', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<svg onload');
    expect(html).not.toContain('window.__xss=2</script>');
    expect(html).toContain('<code>x&quot;&gt;&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;&lt;script&gt;window.__xss=2&lt;/script&gt;</code>');
    expect(html).toContain('<code>rule&lt;svg onload=&quot;window.__xss=3&quot;&gt;</code>');
    // One inline script (the filter), and it embeds no data.
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('has the cluster report\'s CSP and loads nothing', () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|@font-face|url\(/i);
  });

  it('draws the heat map cluster × OWASP category, worst cluster first, without deleted clusters', () => {
    const heat = section(html, 'heatmap');
    const rows = [...heat.matchAll(/<tr data-search="[^"]*"><th scope="row"><code>([^<]*)<\/code><\/th>(.*?)<\/tr>/g)];
    expect(rows.map((r) => r[1])).toEqual(['prod', 'x&quot;&gt;&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;&lt;script&gt;window.__xss=2&lt;/script&gt;', 'dev', 'fresh']);
    const prodCells = [...rows[0]![2]!.matchAll(/class="heat heat-(\d)" data-category="(K\d\d)"[^>]*>(\d+)</g)].map((m) => [m[2], Number(m[3]), Number(m[1])]);
    expect(prodCells).toHaveLength(10);
    expect(prodCells.slice(0, 3)).toEqual([['K01', 12, 5], ['K02', 0, 0], ['K03', 3, 2]]);
    expect(heat).not.toContain('>gone<');
    expect(heat).toContain('K03 Overly Permissive RBAC Configurations');
  });

  it('lists the top rules with the clusters they hit, most open first', () => {
    const top = section(html, 'top-rules');
    const rules = [...top.matchAll(/<tr class="rule-row" data-severity="(\w+)"><td>.*?<code>([^<]*)<\/code>.*?<td class="num">(\d+)<\/td><td class="num">(\d+)<\/td>/g)].map((m) => [m[2], Number(m[3]), Number(m[4])]);
    expect(rules).toEqual([['image-latest-tag', 12, 3], ['rule&lt;svg onload=&quot;window.__xss=3&quot;&gt;', 8, 2], ['privileged-container', 2, 1]]);
    // The deleted cluster's 50 findings do not count.
    expect(top).toContain('Privileged container');
    const hits = top.slice(top.indexOf('image-latest-tag'));
    expect(hits.indexOf('<code>prod</code> <span class="n">9</span>')).toBeLessThan(hits.indexOf('<code>dev</code> <span class="n">1</span>'));
  });

  it('ranks clusters by risk with their open counts and a sparkline, and marks the stale and failed ones', () => {
    const ranked = section(html, 'clusters');
    const names = [...ranked.matchAll(/<tr data-search="[^"]*"><td class="num">(\d+)<\/td><td><code>([^<]*)<\/code>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(names[0]).toBe('1 prod');
    expect(names).toHaveLength(4);
    expect(ranked).toContain(`<strong>${riskScore(counts({ critical: 2, high: 5, medium: 9 }), 1)}</strong>`);
    expect(ranked.match(/<svg class="spark"/g)).toHaveLength(3);
    expect(ranked).toContain('failed · stale');
  });

  it('lists stale, failing, partial and never-scanned clusters with the reason', () => {
    const attention = section(html, 'attention');
    const reasons = [...attention.matchAll(/<tr class="reason-([\w-]+)">/g)].map((m) => m[1]);
    expect(reasons.sort()).toEqual(['failed', 'never-scanned', 'partial', 'stale']);
    expect(attention).toContain('not completely listed: Secret (forbidden)');
    expect(attention).toContain('403 from &lt;b&gt;x&quot;');
  });

  it('draws the fleet trend per day as inline SVG lines, with the numbers', () => {
    const trend = section(html, 'trend');
    expect(trend.match(/<polyline/g)).toHaveLength(3);
    const rows = [...trend.matchAll(/<tr><td>([\d-]+)<\/td><td class="num">(\d+)<\/td>/g)].map((m) => [m[1], Number(m[2])]);
    expect(rows).toEqual(view.trend.map((d) => [d.day, d.open]));
    expect(rows).toHaveLength(7);
  });

  it('caps the clusters drawn and counts the rest; says so when the fleet is empty', () => {
    const capped = renderFleetHtml(view, { maxClusters: 2 });
    expect(section(capped, 'heatmap').match(/<th scope="row">/g)).toHaveLength(2);
    expect(section(capped, 'clusters')).toContain('…and 2 more clusters with lower risk');
    const empty = renderFleetHtml(fleetViewOf({ at, since: at, clusters: [], errors: [] }, { byCategory: {}, byRule: {}, errors: [] }));
    expect(section(empty, 'heatmap')).toContain('No cluster in the inventory yet.');
    expect(section(empty, 'top-rules')).toContain('No open findings.');
    expect(section(empty, 'attention')).toContain('Every cluster was scanned recently and completely.');
    expect(empty).not.toContain('id="errors"');
  });

  it('lists the store items that could not be read, escaped', () => {
    expect(section(html, 'errors')).toContain('CLUSTER#x&quot;&gt;&lt;img');
  });
});

warnNoChromium('the fleet report');

describe.skipIf(!hasChromium)('the fleet report in headless Chromium', () => {
  let dir: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'periscope-fleet-html-'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens with no script from a name run, no CSP violation, no console error and no request; the filter works', async () => {
    const { page, url, errors, requests, violations } = await openPage(browser, dir, 'fleet.html', renderFleetHtml(fleet()));

    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await violations()).toEqual([]);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('svg[onload]').count()).toBe(0);
    // The hostile name is shown as text.
    expect(await page.locator('#clusters code').nth(1).textContent()).toBe(xss);

    for (const id of ['summary', 'attention', 'heatmap', 'top-rules', 'clusters', 'trend', 'errors']) {
      expect(await page.locator(`section#${id}`).isVisible(), id).toBe(true);
    }
    expect(await page.locator('#heatmap td.heat').count()).toBe(40);
    expect(await page.locator('#trend polyline').count()).toBe(3);

    await page.fill('#filter', 'dev');
    expect(await page.locator('#clusters tbody tr:not(.hidden)').count()).toBe(1);
    expect(await page.locator('#heatmap tbody tr:not(.hidden)').count()).toBe(1);
    await page.fill('#filter', '');
    expect(await page.locator('#clusters tbody tr:not(.hidden)').count()).toBe(4);

    mkdirSync(path.join(repoRoot, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, 'test-artifacts', 'fleet-report.png'), fullPage: true });
    expect(errors).toEqual([]);
    // The violation listener works: a fetch from the page is blocked by the CSP and reported.
    await page.evaluate(() => fetch('https://example.invalid/x').catch(() => undefined));
    expect(await violations()).toEqual(['connect-src https://example.invalid/x']);
    await page.close();
  });
});

// The HTML report: what each section shows, escaping of attacker-controlled names, and the page in a real browser
// (headless Debian Chromium through playwright-core): no console error, no network request, a screenshot.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { causeOf } from '../../shared/audit/cause.ts';
import { auditEventSchema } from '../../shared/model/audit.ts';
import { auditEvent } from '../../shared/sandbox/demo/audit-log.ts';
import { platformDefaultExceptions } from '../../shared/engine/platform-defaults.ts';
import { runRules } from '../../shared/engine/run.ts';
import type { Finding } from '../../shared/model/finding.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { fixCommandOf, shellQuote } from '../../shared/report/html-fix.ts';
import { rbacHighlightsOf } from '../../shared/report/html-rbac.ts';
import { renderHtml, trendOf, type TrendPoint } from '../../shared/report/html.ts';
import type { ScanReport } from '../../shared/report/scan-report.ts';
import { rules } from '../../shared/rules/index.ts';
import { demoClusterObjects } from '../../shared/sandbox/demo/cluster.ts';
import { runCli, tempFiles } from '../cli/run-cli.ts';
import { container, deployment, hardenedPodSpec, snapshotOf } from '../support/fixtures.ts';
import { hasChromium, launchChromium, openPage, warnNoChromium } from './chromium.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const xss = `x"><img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
const evilNamespace = `tenant'$(touch /tmp/pwned)`;

/** The demo cluster plus a privileged Deployment whose name and namespace carry an XSS and a shell payload. */
function scanOf(extra: readonly KubeObject[] = []): { report: ScanReport; snapshot: Snapshot } {
  const evil = deployment({ name: xss, namespace: evilNamespace, spec: hardenedPodSpec({ containers: [container({ name: 'app', securityContext: { privileged: true } })] }) });
  const snapshot = snapshotOf([...demoClusterObjects(), evil, ...extra]);
  const result = runRules(snapshot, rules, { exceptions: [platformDefaultExceptions()] });
  return {
    snapshot,
    report: { cluster: snapshot.cluster, scannedAt: snapshot.takenAt, coverage: snapshot.coverage, findings: result.findings, rules, skipped: result.skipped },
  };
}

const history: TrendPoint[] = [
  { scannedAt: '2025-12-01T00:00:00.000Z', open: { critical: 9, high: 14, medium: 30, low: 20, info: 1 } },
  { scannedAt: '2025-12-15T00:00:00.000Z', open: { critical: 7, high: 12, medium: 25, low: 18, info: 1 } },
];

function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  if (start < 0) return '';
  return html.slice(start, html.indexOf('</section>', start));
}

describe('renderHtml', () => {
  const { report, snapshot } = scanOf();
  const html = renderHtml(report, { snapshot, history });

  it('escapes attacker-controlled names everywhere (no markup or script from a name survives)', () => {
    expect(report.findings.some((f) => f.resource.name === xss)).toBe(true);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('window.__xss=2</script>');
    expect(html).toContain('x&quot;&gt;&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;');
    // One inline script (the filter), and it embeds no data.
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('loads nothing: a CSP that forbids every fetch, no external URL in any src or href', () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|@font-face|url\(/i);
  });

  it('charts open findings by severity and by OWASP Kubernetes Top 10 category as inline SVG', () => {
    const open = report.findings.filter((f) => f.status === 'OPEN');
    const critical = open.filter((f) => f.severity === 'critical').length;
    const k01 = open.filter((f) => f.frameworks['owasp-k8s-2022']?.includes('K01')).length;
    expect(critical).toBeGreaterThan(0);
    expect(html).toMatch(new RegExp(`<figure id="by-severity">.*<title>open critical findings: ${critical}</title>`, 's'));
    expect(html).toMatch(new RegExp(`<figure id="by-owasp">.*<title>K01 Insecure Workload Configurations: ${k01}</title>`, 's'));
    expect(section(html, 'charts').match(/<title>K\d\d /g)).toHaveLength(10);
  });

  it('draws each attack path as a chain of its hops, in order', () => {
    const paths = report.findings.filter((f) => f.ruleId === 'path-public-workload-pivot' && f.status === 'OPEN');
    expect(paths).toHaveLength(1);
    const hops = (paths[0]!.details!.hops as { ref: string }[]).map((hop) => hop.ref);
    const chain = section(html, 'attack-paths');
    const shown = [...chain.matchAll(/<span class="hop-ref">([^<]*)<\/span>/g)].map((m) => m[1]);
    expect(shown).toEqual(hops.map((ref) => ref.replace(/"/g, '&quot;')));
    expect(shown[0]).toBe('Service/ops/ops-dashboard');
  });

  it('groups findings by rule with every affected resource and the fix as JSON Patch and kubectl', () => {
    const findings = section(html, 'findings');
    const automount = report.findings.filter((f) => f.ruleId === 'automount-service-account-token' && f.status === 'OPEN');
    expect(automount.length).toBeGreaterThan(1);
    const group = findings.slice(findings.indexOf('<code>automount-service-account-token</code>'));
    for (const f of automount) expect(group).toContain(`<code>${f.resource.kind}/${f.resource.namespace}/${f.resource.name}</code>`);
    expect(group).toContain('JSON Patch');
    expect(group).toContain('kubectl patch deployment.apps ops-dashboard -n ops --type=json -p &#39;[{&quot;op&quot;:&quot;add&quot;,&quot;path&quot;:&quot;/spec/template/spec/automountServiceAccountToken&quot;,&quot;value&quot;:false}]&#39;');
  });

  it('lists suppressed findings with their reasons, and no suppressed finding among the open groups', () => {
    const suppressed = report.findings.filter((f) => f.status === 'SUPPRESSED');
    expect(suppressed.length).toBeGreaterThan(10);
    const table = section(html, 'suppressed');
    expect(table.match(/<tr><td><span class="badge/g)).toHaveLength(suppressed.length);
    expect(table).toContain('Programs pod networking on every node');
    expect(section(html, 'findings')).not.toContain('DaemonSet/kube-system/aws-node');
  });

  it('highlights who is cluster-admin, reads secrets or execs into pods, from the RBAC analysis', () => {
    const rbac = section(html, 'rbac');
    expect(rbac).toContain('effective permissions of the snapshot');
    expect(rbac).toMatch(/sa:ops:ops-dashboard<\/code><\/td><td>cluster-admin/);
    expect(rbac).toMatch(/sa:analytics:report-builder<\/code><\/td><td>read secrets<\/td><td>in analytics/);
    // Built-in grants (system:masters, the add-ons' own roles) are not highlights.
    expect(rbac).not.toContain('system:masters');
    expect(rbac).not.toContain('sa:kube-system:');
  });

  it('derives the RBAC highlights from the findings when no snapshot is given', () => {
    const fromFindings = rbacHighlightsOf(report.findings);
    expect(fromFindings.map((h) => `${h.subject} ${h.riskClass} ${h.scope}`)).toEqual(
      expect.arrayContaining(['sa:ops:ops-dashboard cluster-admin cluster-wide', 'sa:analytics:report-builder read-secrets in namespace analytics']),
    );
    expect(section(renderHtml(report), 'rbac')).toContain('from the RBAC findings');
  });

  it('takes the trend from stored scan records: neither this scan nor failed ones', () => {
    const open = (critical: number) => ({ critical, high: 0, medium: 0, low: 0, info: 0 });
    const records = [
      { scanId: 's3', scannedAt: '2026-11-23T12:00:00.000Z', result: 'succeeded', counts: { open: open(1) } },
      { scanId: 's2', scannedAt: '2026-11-23T11:00:00.000Z', result: 'failed', counts: { open: open(0) } },
      { scanId: 's1', scannedAt: '2026-11-23T10:00:00.000Z', result: 'partial', counts: { open: open(2) } },
    ];
    expect(trendOf(records, 's3')).toEqual([{ scannedAt: '2026-11-23T10:00:00.000Z', open: open(2) }]);
    expect(trendOf(records).map((p) => p.scannedAt)).toEqual(['2026-11-23T12:00:00.000Z', '2026-11-23T10:00:00.000Z']);
  });

  it('shows the trend across scans only when history is given, with this scan last', () => {
    const trend = section(html, 'trend');
    const rows = [...trend.matchAll(/<tr><td>([^<]+)<\/td>/g)].map((m) => m[1]);
    expect(rows).toEqual([...history.map((p) => p.scannedAt), report.scannedAt]);
    expect(trend).toContain('<polyline');
    expect(renderHtml(report)).not.toContain('id="trend"');
  });

  it('marks an attack path resolved by this scan, and lists resolved findings', () => {
    const path = report.findings.find((f) => f.ruleId === 'path-public-workload-pivot')!;
    const resolved: Finding = { ...path, status: 'RESOLVED', resolvedAt: '2026-01-02T00:00:00.000Z' };
    const after = renderHtml({ ...report, findings: [...report.findings.filter((f) => f !== path), resolved] });
    expect(section(after, 'attack-paths')).toContain('<h2>Attack paths <span class="n">0</span> <span class="muted">(1 resolved by this scan)</span>');
    expect(section(after, 'resolved')).toContain('2026-01-02T00:00:00.000Z');
  });
});

describe('periscope scan --format html', () => {
  it('writes the HTML report of a manifest scan, RBAC highlights from the snapshot', async () => {
    const manifest = `apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: web-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cluster-admin}
rules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]
`;
    const { dir, cleanup } = tempFiles({ 'rbac.yaml': manifest });
    try {
      const result = await runCli(['scan', '-f', dir, '--format', 'html']);
      expect(result.stderr).toBe('');
      expect(result.stdout.startsWith('<!doctype html>')).toBe(true);
      expect(section(result.stdout, 'rbac')).toMatch(/effective permissions of the snapshot.*sa:shop:web<\/code><\/td><td>cluster-admin/s);
    } finally {
      cleanup();
    }
  });
});

describe('fixCommandOf', () => {
  it('quotes every word a shell would interpret', () => {
    expect(shellQuote('web-1')).toBe('web-1');
    expect(shellQuote(`a'b $(x)`)).toBe(`'a'\\''b $(x)'`);
    const command = fixCommandOf({
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: evilNamespace, name: 'p' },
      fix: { description: 'd', patch: [{ op: 'remove', path: '/spec/hostPID' }] },
    });
    expect(command).toBe(`kubectl patch pod p -n 'tenant'\\''$(touch /tmp/pwned)' --type=json -p '[{"op":"remove","path":"/spec/hostPID"}]'`);
  });

  it('gives no kubectl command for EKS cluster settings', () => {
    expect(fixCommandOf({ resource: { apiVersion: 'eks.amazonaws.com/v1', kind: 'EKSCluster', name: 'c' }, fix: { description: 'd', patch: [{ op: 'add', path: '/x', value: 1 }] } })).toBeUndefined();
  });
});

warnNoChromium('the HTML report');

describe.skipIf(!hasChromium)('the HTML report in headless Chromium', () => {
  let dir: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'periscope-html-'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens from a file:// URL with no console error and no network request; the sections work', async () => {
    const { report, snapshot } = scanOf();
    const { page, url, errors, requests, violations } = await openPage(browser, dir, 'report.html', renderHtml(report, { snapshot, history }));

    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await violations()).toEqual([]);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);

    for (const id of ['summary', 'charts', 'attack-paths', 'findings', 'suppressed', 'rbac', 'trend', 'coverage']) {
      expect(await page.locator(`section#${id}`).isVisible(), id).toBe(true);
    }
    expect(await page.locator('#attack-paths .hop').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('#by-severity svg rect').count()).toBeGreaterThan(0);
    expect(await page.locator('#trend polyline').count()).toBe(5);

    // The filter: typing a rule id leaves only that group visible.
    const groups = page.locator('details.rule');
    const total = await groups.count();
    expect(total).toBeGreaterThan(5);
    await page.fill('#filter', 'image-latest-tag');
    expect(await page.locator('details.rule:not(.hidden)').count()).toBe(1);
    await page.fill('#filter', '');
    await page.uncheck('input[data-sev="low"]');
    const lowGroups = await page.locator('details.rule[data-severity="low"]').count();
    expect(await page.locator('details.rule:not(.hidden)').count()).toBe(total - lowGroups);
    await page.check('input[data-sev="low"]');

    mkdirSync(path.join(repoRoot, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, 'test-artifacts', 'html-report.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});

/** What alice's `kubectl apply` of the object looked like in the audit log. */
const applied = causeOf(auditEventSchema.parse(auditEvent({ verb: 'create', resource: 'deployments', apiGroup: 'apps', namespace: 'shop', name: 'web', at: new Date('2026-11-23T10:02:00Z') })));
const byAlice = 'opened after alice@example.com ran kubectl create at 10:02 UTC';

describe('renderHtml: cause', () => {
  it('says under the resource whose change opened the finding', () => {
    const { report } = scanOf();
    const html = renderHtml({ ...report, findings: report.findings.map((f, i) => (i === 0 ? { ...f, cause: [applied] } : f)) });
    expect(html).toContain(byAlice);
    expect(renderHtml(report)).not.toContain('opened after');
  });
});

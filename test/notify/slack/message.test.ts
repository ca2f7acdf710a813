// The Slack message builder: golden files of real digests, Slack's limits on the largest ones, attack paths first.
import { describe, expect, it } from 'vitest';
import type { ScanDigest } from '../../../shared/notify/digest.ts';
import { blockKitViolations, slackLimits, toSlackMessage } from '../../../shared/notify/slack/message.ts';
import { scanDigestOf } from '../../../shared/pipeline/scan-digest.ts';
import { causeOf } from '../../../shared/audit/cause.ts';
import { auditEventSchema } from '../../../shared/model/audit.ts';
import { auditEvent } from '../../../shared/sandbox/demo/audit-log.ts';
import { expectGolden } from '../golden.ts';
import { finding, manyFindings, scanCompleted, testCatalogue } from '../support.ts';

const links = { docsUrl: 'https://periscope.example.com/docs/rules.md' };

function digestOf(event: ReturnType<typeof scanCompleted>, minSeverity: 'critical' | 'high' = 'high'): ScanDigest {
  const digest = scanDigestOf(event, { minSeverity, links, catalogue: testCatalogue });
  if (!digest) throw new Error('expected a digest');
  return digest;
}

const threeCriticals = [
  finding({ name: 'web' }),
  finding({ name: 'worker', container: 'sidecar' }),
  finding({ ruleId: 'path-public-workload-pivot', kind: 'Service', name: 'ops-dashboard', container: null, fix: null }),
];

describe('toSlackMessage', () => {
  it('lists the new findings of a rescan grouped by rule, attack paths first (golden)', () => {
    const event = scanCompleted({
      opened: [...threeCriticals, finding({ ruleId: 'run-as-non-root', name: 'batch' })],
      resolved: [finding({ name: 'old' }), finding({ name: 'older' })],
      open: [...threeCriticals, finding({ ruleId: 'host-namespaces', name: 'agent' })],
    });
    const message = toSlackMessage(digestOf(event));
    expectGolden('slack/digest-three-criticals.json', message);
    expect(blockKitViolations(message)).toEqual([]);
    const sections = message.blocks.filter((b) => b.type === 'section');
    expect(sections).toHaveLength(2);
    expect(JSON.stringify(sections[0])).toContain('Attack path');
    expect(JSON.stringify(sections[1])).toContain('2 new');
    // The medium finding is under the threshold.
    expect(JSON.stringify(message)).not.toContain('batch');
    expect(message.text).toBe('Periscope: 3 new critical/high findings on prod (2 resolved)');
  });

  it('sends one quiet baseline on the first scan, whatever the number of findings (golden)', () => {
    const findings = manyFindings(200);
    const message = toSlackMessage(digestOf(scanCompleted({ opened: findings, firstScan: true, scanId: 'scan-0001', suppressed: 4 })));
    expectGolden('slack/baseline-200.json', message);
    expect(blockKitViolations(message)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(4);
    expect(JSON.stringify(message.blocks).length).toBeLessThan(2000);
    expect(JSON.stringify(message)).not.toContain('app-1');
    expect(message.text).toContain('200 open findings');
  });

  it('stays within Block Kit limits for a huge digest and says how much it left out', () => {
    const findings = Array.from({ length: 80 }, (_, rule) =>
      Array.from({ length: 12 }, (_, i) => finding({ ruleId: `rule-${String(rule).padStart(2, '0')}`, severity: 'critical', name: `w-${rule}-${i}-${'x'.repeat(40)}` })),
    ).flat();
    const digest = digestOf(scanCompleted({ opened: findings.slice(0, 50) }));
    // The scan event lists 50; give the builder the whole set to stress the block budget.
    if (digest.kind !== 'findings') throw new Error('expected findings');
    const full = scanDigestOf(
      { ...scanCompleted({ opened: [] }), opened: findings.map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, severity: f.severity, resource: f.resource })), counts: { ...scanCompleted({}).counts, opened: findings.length } },
      { minSeverity: 'high', catalogue: testCatalogue },
    );
    if (!full || full.kind !== 'findings') throw new Error('expected findings');
    const message = toSlackMessage(full);
    expect(blockKitViolations(message)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(slackLimits.blocks);
    const last = JSON.stringify(message.blocks.at(-1));
    const shownRules = message.blocks.filter((b) => b.type === 'section').length;
    expect(last).toContain(`and ${80 - shownRules} more rules with ${(80 - shownRules) * 12} new findings`);
    expect(JSON.stringify(message)).toContain('…and 7 more');
  });

  it('says when the scan event did not list every new finding', () => {
    const findings = Array.from({ length: 60 }, (_, i) => finding({ name: `w-${i}` }));
    const message = toSlackMessage(digestOf(scanCompleted({ opened: findings })));
    expect(message.text).toContain('60 new critical/high findings');
    expect(JSON.stringify(message.blocks.at(-1))).toContain('and 10 more new findings not listed in the scan event');
  });

  it('links the latest fleet report in the facts of a digest and of a baseline, and drops a URL that would break mrkdwn', () => {
    const fleetReport = { url: 'https://reports.s3.eu-west-1.amazonaws.com/fleet-report/latest.html?X-Amz-Signature=ab12', generatedAt: '2026-12-02T06:00:09.000Z', expiresAt: '2026-12-02T22:30:00.000Z' };
    const expected = ':bar_chart: <https://reports.s3.eu-west-1.amazonaws.com/fleet-report/latest.html?X-Amz-Signature=ab12|Fleet report> (2026-12-02 06:00 UTC; link valid until 2026-12-02 22:30 UTC)';
    const digest = toSlackMessage(digestOf(scanCompleted({ opened: threeCriticals })), { fleetReport });
    expect(digest.blocks[1]).toMatchObject({ type: 'context', elements: expect.arrayContaining([{ type: 'mrkdwn', text: expected }]) });
    expect(blockKitViolations(digest)).toEqual([]);
    const baseline = toSlackMessage(digestOf(scanCompleted({ opened: threeCriticals, firstScan: true })), { fleetReport });
    expect(baseline.blocks.at(-1)).toMatchObject({ type: 'context', elements: [expect.anything(), { type: 'mrkdwn', text: expected }] });
    for (const url of ['https://x.example.com/a|<!channel>', 'javascript:alert(1)', 'https://x.example.com/a b']) {
      expect(JSON.stringify(toSlackMessage(digestOf(scanCompleted({ opened: threeCriticals })), { fleetReport: { ...fleetReport, url } }))).not.toContain('Fleet report');
    }
  });

  it('escapes Slack control characters and cuts overlong sections', () => {
    const digest = digestOf(scanCompleted({ opened: [finding({ name: 'a<b>&c' })] }));
    if (digest.kind !== 'findings') throw new Error('expected findings');
    const long = { ...digest, groups: digest.groups.map((g) => ({ ...g, rule: { ...g.rule, remediation: 'y'.repeat(5000) } })) };
    const message = toSlackMessage(long);
    expect(JSON.stringify(message)).toContain('a&lt;b&gt;&amp;c');
    expect(blockKitViolations(message)).toEqual([]);
  });

  it('warns in the digest and the baseline when the scan could not read every kind', () => {
    const coverage = Object.fromEntries(
      ['Namespace', 'Service', 'RoleBinding', 'Pod', 'Deployment', 'Job', 'CronJob'].map((kind) => [kind, { complete: false, count: 0, error: `forbidden: ${kind} <is> forbidden` }]),
    );
    const rescan = toSlackMessage(digestOf(scanCompleted({ opened: threeCriticals, coverage })));
    expect(blockKitViolations(rescan)).toEqual([]);
    const warning = rescan.blocks.find((block) => block.type === 'section' && block.text.text.startsWith(':warning:'));
    expect(warning).toBeDefined();
    const text = warning?.type === 'section' ? warning.text.text : '';
    expect(text.split('\n')).toEqual([
      ':warning: *Incomplete scan:* 7 of 7 kinds could not be read completely, so these findings are not the whole picture; none of their findings was resolved.',
      '• `Namespace`: forbidden: Namespace &lt;is&gt; forbidden',
      '• `Service`: forbidden: Service &lt;is&gt; forbidden',
      '• `RoleBinding`: forbidden: RoleBinding &lt;is&gt; forbidden',
      '• `Pod`: forbidden: Pod &lt;is&gt; forbidden',
      '• `Deployment`: forbidden: Deployment &lt;is&gt; forbidden',
      '_…and 2 more_',
    ]);
    expect(rescan.text).toBe('Periscope: 3 new critical/high findings on prod');
    const baseline = toSlackMessage(digestOf(scanCompleted({ opened: threeCriticals, coverage, firstScan: true })));
    expect(JSON.stringify(baseline.blocks)).toContain(':warning: *Incomplete scan:* 7 of 7 kinds');
    // A complete scan has no warning.
    expect(JSON.stringify(toSlackMessage(digestOf(scanCompleted({ opened: threeCriticals }))))).not.toContain('Incomplete scan');
  });
});

/** What alice's `kubectl apply` of the object looked like in the audit log. */
const applied = causeOf(auditEventSchema.parse(auditEvent({ verb: 'create', resource: 'deployments', apiGroup: 'apps', namespace: 'shop', name: 'web', at: new Date('2026-11-23T10:02:00Z') })));
const byAlice = 'opened after alice@example.com ran kubectl create at 10:02 UTC';

describe('toSlackMessage: who introduced new findings', () => {
  it('names the person whose change opened them, once per rule', () => {
    const event = scanCompleted({ opened: [finding({ name: 'web' }), finding({ name: 'worker' })] });
    for (const summary of event.opened) summary.cause = [applied];
    const text = JSON.stringify(toSlackMessage(digestOf(event)));
    expect(text).toContain(byAlice);
    expect(text.split(byAlice)).toHaveLength(2);
    expect(JSON.stringify(toSlackMessage(digestOf(scanCompleted({ opened: [finding({ name: 'web' })] }))))).not.toContain('opened after');
  });
});

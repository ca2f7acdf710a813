// Ticket groups and bodies: golden ADF and wiki markup, valid ADF, kubectl commands that survive the shell.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { toAdf, toWiki } from '../../../shared/notify/jira/document.ts';
import {
  changeComment,
  groupLabel,
  issueContent,
  jiraSettings,
  kubectlPatchCommand,
  resolvedComment,
  ticketGroupsOf,
} from '../../../shared/notify/jira/issue.ts';
import { causeOf } from '../../../shared/audit/cause.ts';
import { auditEventSchema } from '../../../shared/model/audit.ts';
import { auditEvent } from '../../../shared/sandbox/demo/audit-log.ts';
import { adfProblems } from '../../../shared/sandbox/jira-receiver.ts';
import { expectGolden } from '../golden.ts';
import { finding, prod, scanCompleted, testCatalogue } from '../support.ts';

const settings = jiraSettings({ projectKey: 'SEC', links: { docsUrl: 'https://periscope.example.com/docs/rules.md' } });
const cluster = scanCompleted({}).cluster;

const privileged = [
  finding({ name: 'web' }),
  finding({ name: 'worker', container: 'sidecar' }),
  finding({ name: 'legacy', namespace: 'ops', fix: null }),
];

describe('ticket groups', () => {
  it('makes one group per rule × cluster at or above the threshold, attack paths first', () => {
    const groups = ticketGroupsOf(prod.id, [
      ...privileged,
      finding({ ruleId: 'host-namespaces', name: 'agent' }),
      finding({ ruleId: 'run-as-non-root', name: 'batch' }),
      finding({ ruleId: 'path-public-workload-pivot', kind: 'Service', name: 'dash' }),
      finding({ name: 'gone', status: 'RESOLVED' }),
      finding({ name: 'quiet', status: 'SUPPRESSED' }),
    ], settings, testCatalogue);
    expect(groups.map((g) => [g.key, g.findings.length])).toEqual([
      ['path-public-workload-pivot', 1],
      ['privileged-container', 3],
      ['host-namespaces', 1],
    ]);
    expect(groups[1]?.findings.map((f) => f.resource.name)).toEqual(['legacy', 'web', 'worker']);
  });

  it('gives chosen severities one ticket per finding', () => {
    const perFinding = jiraSettings({ projectKey: 'SEC', perFindingSeverities: ['critical'] });
    const groups = ticketGroupsOf(prod.id, [...privileged, finding({ ruleId: 'host-namespaces', name: 'agent' })], perFinding, testCatalogue);
    expect(groups.filter((g) => g.perFinding)).toHaveLength(3);
    expect(groups.find((g) => !g.perFinding)?.key).toBe('host-namespaces');
    expect(new Set(groups.map((g) => g.label)).size).toBe(4);
    const one = groups.find((g) => g.perFinding && g.findings[0]?.resource.name === 'web');
    expect(one?.key).toBe(`privileged-container#${privileged[0]?.fingerprint}`);
    expect(one && issueContent(one, cluster, perFinding).summary).toBe('[Periscope] Privileged container: Deployment shop/web (container app) on prod');
  });

  it('labels groups stably, per cluster', () => {
    expect(groupLabel(prod.id, 'privileged-container')).toBe(groupLabel(prod.id, 'privileged-container'));
    expect(groupLabel(prod.id, 'privileged-container')).not.toBe(groupLabel('arn:aws:eks:eu-west-1:111122223333:cluster/dev', 'privileged-container'));
    expect(groupLabel(prod.id, 'privileged-container')).toMatch(/^periscope-[0-9a-f]{20}$/);
  });
});

describe('issue bodies', () => {
  const group = ticketGroupsOf(prod.id, privileged, settings, testCatalogue)[0];
  if (!group) throw new Error('no group');
  const content = issueContent(group, cluster, settings);

  it('carries summary, labels and the priority of its severity', () => {
    expect(content.summary).toBe('[Periscope] Privileged container on prod');
    expect(content.labels).toEqual(['periscope', group.label]);
    expect(content.priority).toBe('Highest');
    const custom = jiraSettings({ projectKey: 'SEC', priorities: { critical: 'P1' }, labels: ['security', 'eks'] });
    expect(issueContent(group, cluster, custom)).toMatchObject({ priority: 'P1', labels: ['security', 'eks', group.label] });
    expect(issueContent({ ...group, severity: 'high' }, cluster, custom).priority).toBeUndefined();
  });

  it('renders as valid ADF for Jira Cloud (golden)', () => {
    const adf = toAdf(content.description);
    expect(adfProblems(adf)).toEqual([]);
    expectGolden('jira/issue-privileged-container.adf.json', adf);
    const text = JSON.stringify(adf);
    expect(text).toContain('"type":"table"');
    expect(text).toContain('kubectl patch deployment web -n shop --type=json -p');
    expect(text).toContain('"language":"json"');
    expect(text).toContain('CIS Amazon EKS Benchmark v1.8.0');
  });

  it('renders as wiki markup for Jira Data Center (golden)', () => {
    const wiki = toWiki(content.description);
    expectGolden('jira/issue-privileged-container.wiki.txt', `${wiki}\n`);
    expect(wiki).toContain('||Kind||Namespace||Name||Container||Finding||');
    expect(wiki).toContain('{code:shell}\nkubectl patch deployment web -n shop');
  });

  it('comments on change and on resolution (golden)', () => {
    const added = [finding({ name: 'new-one' })];
    const change = { added, fixed: [{ fingerprint: privileged[0]?.fingerprint ?? '', finding: privileged[0] }, { fingerprint: 'f'.repeat(32) }], scanId: 'scan-0003', remaining: 3 };
    const comment = toAdf(changeComment(change, settings));
    expect(adfProblems(comment)).toEqual([]);
    expectGolden('jira/comment-change.adf.json', comment);
    const resolved = toAdf(resolvedComment({ ...change, added: [], remaining: 0 }, settings));
    expect(adfProblems(resolved)).toEqual([]);
    expect(JSON.stringify(resolved)).toContain('every affected resource is fixed');
  });
});

describe('kubectlPatchCommand', () => {
  it('quotes the patch so the shell passes it through unchanged', () => {
    const f = finding({ fix: { description: 'x', patch: [{ op: 'add', path: '/metadata/annotations/note', value: "it's $HOME `x`" }] } });
    const command = kubectlPatchCommand(f);
    expect(command).toMatch(/^kubectl patch deployment web -n shop --type=json -p '/);
    const patchArgument = execFileSync('sh', ['-c', `set -- ${command?.replace(/^kubectl /, '')}; printf %s "$8"`], { encoding: 'utf8' });
    expect(JSON.parse(patchArgument)).toEqual(f.fix?.patch);
  });

  it('has nothing to offer without a patch or for the EKS cluster itself', () => {
    expect(kubectlPatchCommand(finding({ fix: null }))).toBeUndefined();
    expect(kubectlPatchCommand(finding({ kind: 'EKSCluster' }))).toBeUndefined();
  });
});

/** What alice's `kubectl apply` of the object looked like in the audit log. */
const applied = causeOf(auditEventSchema.parse(auditEvent({ verb: 'create', resource: 'deployments', apiGroup: 'apps', namespace: 'shop', name: 'web', at: new Date('2026-11-23T10:02:00Z') })));
const byAlice = 'opened after alice@example.com ran kubectl create at 10:02 UTC';

describe('issue bodies: who introduced the resource', () => {
  it('says, in the resource table, whose change opened a finding', () => {
    const group = ticketGroupsOf(prod.id, [{ ...finding({ name: 'web' }), cause: [applied] }], settings, testCatalogue)[0]!;
    const content = issueContent(group, cluster, settings);
    expect(toWiki(content.description)).toContain(byAlice);
    expect(adfProblems(toAdf(content.description))).toEqual([]);
  });
});

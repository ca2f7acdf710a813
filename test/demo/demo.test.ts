// `npm run demo` end to end, in process, into a temporary directory: the real functions against the sandbox.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../shared/model/finding.ts';
import { jsonReportSchema } from '../../shared/report/json.ts';
import { exposedDashboard, outdatedDemoAddon, wellConfiguredApp } from '../../shared/sandbox/demo/cluster.ts';
import { demoRescanWindowSeconds, liveChange } from '../../shared/sandbox/demo/live.ts';
import { runDemo, type DemoResult } from '../../shared/sandbox/demo/run.ts';
import { loadDemoHandlers } from '../../scripts/demo.ts';

let outDir: string;
let result: DemoResult;
const lines: string[] = [];
const envBefore = { ...process.env };

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'periscope-demo-'));
  result = await runDemo({ outDir, loadHandlers: loadDemoHandlers, log: (line) => lines.push(line) });
}, 60_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const isDashboard = (f: Finding) => f.resource.namespace === exposedDashboard.namespace && f.resource.name === exposedDashboard.deployment;
const inWellConfiguredApp = (f: Pick<Finding, 'resource'>) =>
  f.resource.namespace === wellConfiguredApp.namespace || (f.resource.kind === 'Namespace' && f.resource.name === wellConfiguredApp.namespace);

describe('npm run demo', () => {
  it('finds one critical attack path: the public dashboard, privileged, whose account is cluster-admin', () => {
    const [first] = result.scans;
    const paths = first!.findings.filter((f) => f.ruleId.startsWith('path-') && f.status === 'OPEN');
    expect(paths).toHaveLength(1);
    const [path0] = paths;
    expect(path0).toMatchObject({ severity: 'critical', resource: { kind: 'Deployment', namespace: 'ops', name: 'ops-dashboard' } });
    const hops = path0!.details!.hops as { kind: string; ref: string }[];
    expect(hops[0]).toMatchObject({ kind: 'entry', ref: 'Service/ops/ops-dashboard' });
    expect(hops.map((h) => h.kind)).toEqual(expect.arrayContaining(['escape', 'node', 'identity']));
  });

  it('resolves the dashboard findings on the second scan, after the fix, and finds the debug pod left behind', () => {
    const [, second] = result.scans;
    const resolved = second!.resolved.map((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.name}`);
    expect(resolved).toEqual(expect.arrayContaining([
      'path-public-workload-pivot Deployment/ops-dashboard',
      'privileged-container Deployment/ops-dashboard',
      'service-load-balancer-public Service/ops-dashboard',
    ]));
    expect(second!.findings.filter((f) => f.status === 'OPEN' && isDashboard(f) && ['privileged-container', 'path-public-workload-pivot'].includes(f.ruleId))).toEqual([]);
    // Still true after the fix: its service account is cluster-admin.
    expect(second!.findings.some((f) => f.status === 'OPEN' && f.ruleId === 'rbac-cluster-admin')).toBe(true);
    expect(second!.opened.some((f) => f.ruleId === 'privileged-container' && f.resource.kind === 'Pod' && f.resource.namespace === 'default')).toBe(true);
    expect(second!.completed).toMatchObject({ baseline: false, counts: { resolved: second!.resolved.length, opened: second!.opened.length } });
  });

  it('finds the one add-on behind the default version EKS gives its Kubernetes version', () => {
    for (const scan of result.scans) {
      const outdated = scan.findings.filter((f) => f.ruleId === 'eks-addon-outdated' && f.status === 'OPEN');
      expect(outdated).toHaveLength(1);
      expect(outdated[0]!.message).toContain(`"${outdatedDemoAddon.addonName}"`);
      expect(outdated[0]!.message).toContain(`behind the default ${outdatedDemoAddon.defaultVersion}`);
    }
  });

  it('posts one Slack message per scan: the baseline, then the digest of new findings with the resolved count', () => {
    expect(result.slack).toHaveLength(3);
    expect(result.slack[0]!.text).toMatch(/baseline/i);
    expect(result.slack[1]!.text).toMatch(new RegExp(`${result.scans[1]!.resolved.length} resolved`));
    expect(readdirSync(path.join(outDir, 'slack'))).toHaveLength(3);
  });

  it('live change stream: alice’s apply and exec reach audit-events; one debounced rescan opens the pod’s findings with her as the cause', () => {
    expect(result.live.batches.map((b) => b.rescan)).toEqual(['requested', 'debounced']);
    expect(result.live.eventFindings.map((f) => f.ruleId)).toEqual(['audit-pod-exec']);
    expect(result.live.eventFindings[0]).toMatchObject({ resource: { kind: 'Pod', namespace: liveChange.namespace, name: liveChange.pod } });
    const third = result.scans[2]!;
    const pod = third.opened.filter((f) => f.resource.kind === 'Pod' && f.resource.name === liveChange.pod);
    expect(pod.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['privileged-container', 'sensitive-host-path']));
    for (const f of pod) expect(f.cause?.[0]).toMatchObject({ username: liveChange.person, verb: 'create', userAgent: expect.stringMatching(/^kubectl\//) });
    // Only the changed objects carry a cause; what scan 2 already saw does not.
    expect(third.opened.filter((f) => f.cause === undefined && f.resource.name === liveChange.pod)).toEqual([]);
    const report = jsonReportSchema.parse(JSON.parse(readFileSync(path.join(outDir, 'scan-3.json'), 'utf8')));
    expect(report.findings.find((f) => f.ruleId === 'privileged-container' && f.resource.name === liveChange.pod)?.cause?.[0]?.username).toBe(liveChange.person);
    // The digest names the person, within the rescan window.
    expect(JSON.stringify(result.slack[2]!.blocks)).toMatch(/opened after alice@example\.com ran kubectl create at \d\d:\d\d UTC/);
    expect(result.live.toSlackMs).toBeLessThan(demoRescanWindowSeconds * 1000);
    expect(readFileSync(path.join(outDir, 'report.html'), 'utf8')).toContain('opened after alice@example.com ran kubectl create');
    expect(lines.join('\n')).toMatch(/Live \(audit log\): 1 event finding \(audit-pod-exec\); rescan: \d+ new/);
  });

  it('creates Jira tickets on the first scan and closes the ones whose resources were all fixed', () => {
    const issues = [...result.jiraIssues.values()];
    const created = result.jiraRequests.filter((r) => r.method === 'POST' && r.path === '/rest/api/3/issue');
    expect(created.length).toBeGreaterThan(0);
    expect(issues).toHaveLength(created.length);
    const done = issues.filter((i) => i.transitions.includes('Done'));
    expect(done.map((i) => i.summary).join('\n')).toMatch(/attack path/i);
    expect(result.jiraRequests.some((r) => r.method === 'POST' && r.path.endsWith('/transitions'))).toBe(true);
    // Every request is kept as a file, credentials never.
    const files = readdirSync(path.join(outDir, 'jira'));
    expect(files).toHaveLength(result.jiraRequests.length);
    const recorded = JSON.parse(readFileSync(path.join(outDir, 'jira', files[0]!), 'utf8')) as { headers: Record<string, string> };
    expect(recorded.headers.authorization).toBeUndefined();
  });

  it('gives the well-configured application no finding at all, and alerts on nothing in kube-system', () => {
    for (const scan of result.scans) {
      expect(scan.findings.filter(inWellConfiguredApp)).toEqual([]);
      expect(scan.findings.filter((f) => f.resource.namespace === 'kube-system' && f.status === 'OPEN')).toEqual([]);
      expect(scan.findings.some((f) => f.resource.namespace === 'kube-system' && f.status === 'SUPPRESSED')).toBe(true);
    }
  });

  it('writes the JSON reports (DESIGN.md §4), the HTML report, and prints the summary', () => {
    for (const name of ['scan-1.json', 'scan-2.json', 'scan-3.json']) {
      const report = jsonReportSchema.parse(JSON.parse(readFileSync(path.join(outDir, name), 'utf8')));
      expect(report.cluster).toMatchObject({ source: 'eks', name: 'payments-prod' });
      expect(report.findings.filter(inWellConfiguredApp)).toEqual([]);
    }
    const html = readFileSync(path.join(outDir, 'report.html'), 'utf8');
    expect(html).toContain('<section id="attack-paths">');
    expect(html).toContain('<section id="trend">');
    const text = lines.join('\n');
    expect(text).toMatch(/Attack paths: 1\n {2}CRITICAL Deployment\/ops\/ops-dashboard/);
    expect(text).toMatch(/Scan 2: \d+ new, \d+ resolved/);
    expect(text).toContain('- CRITICAL path-public-workload-pivot');
  });

  it('leaves the environment as it found it (no sandbox endpoint or dummy credential leaks out)', () => {
    // Powertools sets its user-agent id (AWS_SDK_UA_APP_ID) when it loads; that one is not the demo's to undo.
    const { AWS_SDK_UA_APP_ID: _powertools, ...after } = process.env;
    expect(after).toEqual(envBefore);
  });
});

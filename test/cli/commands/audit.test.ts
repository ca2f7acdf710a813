import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detect } from '../../../shared/audit/detect.ts';
import { detections } from '../../../shared/audit/detections/index.ts';
import { jsonReportSchema } from '../../../shared/report/json.ts';
import { auditEvent, fixtureNames, fixturesDir, rawEvent } from '../../audit/events.ts';
import { runCli, tempFiles } from '../run-cli.ts';

const session = join(fixturesDir, 'session.jsonl');
const filterLogEvents = join(fixturesDir, 'filter-log-events.json');
const arn = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';

const temp = tempFiles({});
afterAll(() => temp.cleanup());

describe('periscope audit', () => {
  it('reports the detections and who changed what; a non-audit line is counted, shown with its line, exit 2', async () => {
    const result = await runCli(['audit', '-f', session, '--internal-cidr', '10.0.0.0/16']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('CRITICAL audit-binding-cluster-admin');
    expect(result.stdout).toContain('alice@example.com ran exec into pod shop/debug');
    expect(result.stdout).toContain('service account build/ci was used from 203.0.113.99, outside the cluster networks');
    expect(result.stdout).toMatch(/Changes \(the latest write.*\nOBJECT +VERB +BY +WITH +FROM +AT\n/);
    expect(result.stdout).toMatch(/Pod\/shop\/debug +create +alice@example.com +kubectl\/v1.31.2 +203.0.113.10 +2026-12-02T10:02:03.142107Z/);
    expect(result.stderr).toContain(`${session}: line 5: not JSON`);
    expect(result.stderr).toContain('1 line was not audit events; 11 audit events judged');
  });

  it('writes the JSON report with the fingerprints the live stream gives for the same cluster', async () => {
    const result = await runCli(['audit', '-f', filterLogEvents, '--format', 'json', '--cluster', arn]);
    expect(result.code).toBe(0);
    const report = jsonReportSchema.parse(JSON.parse(result.stdout));
    expect(report.cluster).toMatchObject({ id: arn, name: 'prod', source: 'eks', region: 'eu-west-1' });
    const live = await detect(fixtureNames.map((name) => auditEvent(name)), { clusterId: arn });
    expect(report.findings.map((f) => f.fingerprint).sort()).toEqual(live.findings.map((f) => f.fingerprint).sort());
    expect(report.findings.every((f) => f.ruleId.startsWith('audit-'))).toBe(true);
  });

  it('reads standard input, writes SARIF with the detections as rules, and exits 1 on --fail-on', async () => {
    const input = readFileSync(filterLogEvents, 'utf8');
    const result = await runCli(['audit', '-f', '-', '--format', 'sarif', '--fail-on', 'critical'], { input });
    expect(result.code).toBe(1);
    const sarif = JSON.parse(result.stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string }[] }[] };
    expect(sarif.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['audit-binding-cluster-admin']));
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toContain('audit-binding-cluster-admin');
    const quiet = await runCli(['audit', '-f', '-', '--fail-on', 'critical'], { input: `${JSON.stringify(rawEvent('exec-started'))}\n` });
    expect(quiet.code).toBe(0);
  });

  it('shows the first few bad lines and counts the rest', async () => {
    const lines = [JSON.stringify(rawEvent('delete-webhook')), ...Array.from({ length: 8 }, (_, i) => `klog line ${i}`)];
    const result = await runCli(['audit', '-f', '-'], { input: lines.join('\n') });
    expect(result.code).toBe(2);
    expect(result.stderr.match(/standard input: line \d+: not JSON/g)).toHaveLength(5);
    expect(result.stderr).toContain('8 lines were not audit events (3 not shown); 1 audit event judged');
    expect(result.stdout).toContain('audit-defense-deleted');
  });

  it('says what is wrong with the command line, the file or the settings', async () => {
    const missing = await runCli(['audit', '-f', join(temp.dir, 'nope.log')]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('no such file') });
    const badArn = await runCli(['audit', '-f', session, '--cluster', 'prod']);
    expect(badArn).toMatchObject({ code: 2, stderr: expect.stringContaining('--cluster "prod" is not an EKS cluster ARN') });
    const badCidr = await runCli(['audit', '-f', session, '--internal-cidr', '10.0.0.0/40']);
    expect(badCidr).toMatchObject({ code: 2, stderr: expect.stringContaining('"10.0.0.0/40" is not a CIDR block') });
    const nothing = await runCli(['audit']);
    expect(nothing).toMatchObject({ code: 2, stderr: expect.stringContaining('give the audit log with -f') });
    const empty = await runCli(['audit', '-f', '-'], { input: '' });
    expect(empty).toMatchObject({ code: 2, stderr: expect.stringContaining('holds no audit events') });
  });

  it('lists the detections', async () => {
    const result = await runCli(['audit', '--list-detections']);
    expect(result.code).toBe(0);
    for (const detection of detections) expect(result.stdout).toContain(detection.id);
  });
});

// `periscope findings` as a user runs it, over the recorded 12-cluster fleet (dynalite table and local store).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetFindingsResult } from '../../../shared/model/fleet.ts';
import { findingsCsvHeader } from '../../../shared/report/fleet-text.ts';
import { runCli } from '../run-cli.ts';
import { setUpFleet, type FleetSetup } from './fleet-setup.ts';

let setup: FleetSetup;
beforeAll(async () => {
  setup = await setUpFleet(12);
}, 120_000);
afterAll(async () => setup?.close());

const run = (args: readonly string[]) => runCli(args, { env: setup.env });
const table = () => ['--table', setup.tableName, '--region', 'eu-west-1'];
const fingerprints = (stdout: string) => (JSON.parse(stdout) as FleetFindingsResult).findings.map((f) => f.fingerprint).sort();
const live = () => setup.expected.flatMap((e) => e.last);

describe('periscope findings', () => {
  it('open critical and high findings across the fleet, the same from the table and the local store', async () => {
    const args = ['findings', '--severity', 'critical,high', '--format', 'json'];
    const fromTable = await run([...args, ...table()]);
    expect(fromTable.code).toBe(0);
    const want = live().filter((f) => f.status === 'OPEN' && (f.severity === 'critical' || f.severity === 'high'));
    expect(want.length).toBeGreaterThan(0);
    expect(fingerprints(fromTable.stdout)).toEqual(want.map((f) => f.fingerprint).sort());
    const fromLocal = await run([...args, '--store', 'local']);
    expect(fromLocal.stdout).toBe(fromTable.stdout);
  }, 60_000);

  it('--cluster by name, --framework K03, --namespace and --rule combine', async () => {
    const target = setup.expected[4]!;
    const k03 = target.last.filter((f) => f.status === 'OPEN' && f.frameworks['owasp-k8s-2022']?.includes('K03'));
    const result = await run(['findings', ...table(), '--cluster', target.fleet.cluster.name, '--framework', 'K03', '--format', 'json']);
    expect(fingerprints(result.stdout)).toEqual(k03.map((f) => f.fingerprint).sort());
    const sample = live().find((f) => f.status === 'OPEN' && f.resource.namespace)!;
    const narrow = await run(['findings', ...table(), '--rule', sample.ruleId, '--namespace', sample.resource.namespace!, '--format', 'json']);
    const wantNarrow = live().filter((f) => f.status === 'OPEN' && f.ruleId === sample.ruleId && f.resource.namespace === sample.resource.namespace);
    expect(fingerprints(narrow.stdout)).toEqual(wantNarrow.map((f) => f.fingerprint).sort());
  }, 60_000);

  it('--status resolved --since 2: what the second round resolved, as a table and as CSV', async () => {
    const resolved = setup.expected.flatMap((e) => e.resolved);
    const text = await run(['findings', ...table(), '--status', 'resolved', '--since', '2']);
    expect(text.stdout.split('\n')[0]).toMatch(/^SEVERITY +CLUSTER +RULE +NAMESPACE +RESOURCE +STATUS +CHANGED +MESSAGE$/);
    expect(text.stdout).toContain(`${resolved.length} resolved findings on `);
    const csv = await run(['findings', ...table(), '--status', 'resolved', '--format', 'csv']);
    const lines = csv.stdout.split('\r\n');
    expect(lines[0]).toBe(findingsCsvHeader.join(','));
    expect(lines).toHaveLength(resolved.length + 2);
    expect((await run(['findings', ...table(), '--status', 'resolved', '--since', '0.5'])).stdout).toBe('No resolved findings match.\n');
  }, 60_000);

  it('rejects a severity or status that does not exist', async () => {
    const bad = await run(['findings', ...table(), '--severity', 'critical,urgent']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('periscope: --severity urgent: not a severity (critical, high, medium, low, info).\n');
    expect((await run(['findings', ...table(), '--status', 'closed'])).stderr).toMatch(/argument 'closed' is invalid\. Allowed choices are open, resolved, suppressed/);
  }, 60_000);
});

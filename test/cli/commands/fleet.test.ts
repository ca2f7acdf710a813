// `periscope fleet` as a user runs it: over a recorded 12-cluster fleet in a dynalite table (--table, --stack) and
// in the local store (--store local), which must print the same; sorting, formats, CSV escaping and the errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { severities } from '../../../shared/model/finding.ts';
import type { FleetClusterRow } from '../../../shared/model/fleet.ts';
import { fleetCsvHeader } from '../../../shared/report/fleet-text.ts';
import { openBySeverity, roleOf } from '../../store/fleet-fixture.ts';
import { runCli } from '../run-cli.ts';
import { hostileCluster, setUpFleet, type FleetSetup } from './fleet-setup.ts';

let setup: FleetSetup;
beforeAll(async () => {
  setup = await setUpFleet(12);
}, 120_000);
afterAll(async () => setup?.close());

const run = (args: readonly string[], env: Record<string, string | undefined> = {}) => runCli(args, { env: { ...setup.env, ...env } });
const table = () => ['--table', setup.tableName, '--region', 'eu-west-1'];
const rowsOf = (stdout: string) => (JSON.parse(stdout) as { clusters: FleetClusterRow[] }).clusters;

describe('periscope fleet', () => {
  it('--format json: a row per live cluster, worst first, with the counts the scans recorded', async () => {
    const result = await run(['fleet', ...table(), '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = rowsOf(result.stdout);
    const live = setup.expected.filter((e) => !e.deleted);
    expect(rows).toHaveLength(live.length + 1);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.risk).toBeGreaterThanOrEqual(rows[i]!.risk);
    for (const e of live) {
      const row = rows.find((r) => r.clusterId === e.fleet.cluster.id)!;
      expect(row.open).toEqual(openBySeverity(e.last));
      expect(row.lastScanResult).toBe(e.lastResult);
      expect(row.stale).toBe(!e.rescanned); // the first round is 3 days old, the second 1 day
      expect(row.trend.resolved).toBe(e.resolved.length);
    }
    expect(rows.some((r) => r.deleted)).toBe(false);
    const withDeleted = rowsOf((await run(['fleet', ...table(), '--format', 'json', '--include-deleted'])).stdout);
    expect(withDeleted.filter((r) => r.deleted).map((r) => r.name)).toEqual(['cluster-0011']);
  }, 60_000);

  it('--store local and --stack print exactly what --table prints, in every format', async () => {
    for (const format of ['table', 'csv', 'json']) {
      const fromTable = await run(['fleet', ...table(), '--format', format]);
      const fromLocal = await run(['fleet', '--store', 'local', '--format', format]);
      // The table's last line says since when (a minute that can tick between runs); json's `at` is the run's time.
      const stable = (text: string) => (format === 'json' ? JSON.stringify(rowsOf(text)) : text.split('\n').slice(0, -2).join('\n'));
      expect(fromLocal.code).toBe(0);
      expect(stable(fromLocal.stdout)).toBe(stable(fromTable.stdout));
      if (format === 'json') {
        const fromStack = await run(['fleet', '--stack', 'Periscope', '--region', 'eu-west-1', '--format', format]);
        expect(stable(fromStack.stdout)).toBe(stable(fromTable.stdout));
      }
    }
    expect(setup.stackRequests).toContain('DescribeStacks Periscope');
  }, 120_000);

  it('the table: a header, a line per cluster with support, scan state and problems, and a total', async () => {
    const result = await run(['fleet', ...table(), '--sort', 'name']);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CLUSTER +ACCOUNT +REGION +VERSION +SUPPORT +LAST SCAN +SCAN +CRIT +HIGH +MED +LOW +PATHS +SUPPR +\+OPENED +-RESOLVED +RISK +PROBLEMS$/);
    expect(result.stdout).toMatch(/^cluster-0001 .* partial .*PodDisruptionBudget: forbidden: list poddisruptionbudgets$/m);
    expect(result.stdout).toMatch(/^cluster-0002 .* failed .*Unauthorized: the scanner role has no access entry$/m);
    expect(result.stdout).toMatch(/^cluster-0007 .* never +0 +0/m);
    expect(result.stdout).toMatch(/UNSUPPORTED/);
    expect(lines.at(-1)).toMatch(/^12 clusters, \d+ open findings; since \d{4}-\d\d-\d\d \d\d:\d\d: \d+ opened, \d+ resolved\.$/);
  });

  it('--sort: by name, by critical findings, by last scan (never-scanned first), by support', async () => {
    const sorted = async (key: string) => rowsOf((await run(['fleet', ...table(), '--format', 'json', '--sort', key])).stdout);
    const byName = await sorted('name');
    expect(byName.map((r) => r.name)).toEqual([...byName.map((r) => r.name)].sort());
    const byCritical = await sorted('critical');
    for (let i = 1; i < byCritical.length; i++) expect(byCritical[i - 1]!.open.critical).toBeGreaterThanOrEqual(byCritical[i]!.open.critical);
    const byScan = await sorted('last-scan');
    expect(byScan.slice(0, 2).map((r) => r.lastScanResult)).toEqual(['never', 'never']);
    for (let i = 3; i < byScan.length; i++) expect(byScan[i - 1]!.lastScanAt! <= byScan[i]!.lastScanAt!).toBe(true);
    const bySupport = await sorted('support');
    expect(bySupport[0]!.support.phase).toBe('unsupported');
    expect((await run(['fleet', ...table(), '--sort', 'colour'])).stderr).toMatch(/argument 'colour' is invalid/);
  }, 120_000);

  it('--format csv: RFC 4180 with formula-looking names neutralised', async () => {
    const result = await run(['fleet', ...table(), '--format', 'csv', '--sort', 'name']);
    const lines = result.stdout.split('\r\n');
    expect(lines[0]).toBe(fleetCsvHeader.join(','));
    expect(lines).toHaveLength(12 + 1 + 1);
    expect(lines.at(-1)).toBe('');
    const hostile = lines.find((l) => l.startsWith(hostileCluster.id))!;
    expect(hostile.startsWith(`${hostileCluster.id},"'=HYPERLINK(""http://x""),y",`)).toBe(true);
    const row1 = lines.find((l) => l.includes(',cluster-0001,'))!.split(',');
    const col = (name: string) => row1[fleetCsvHeader.indexOf(name as (typeof fleetCsvHeader)[number])];
    const e = setup.expected[1]!;
    for (const s of severities) expect(Number(col(s))).toBe(openBySeverity(e.last)[s]);
    expect(col('last_scan_result')).toBe('partial');
    expect(roleOf(1).partial).toBe(true);
  });

  it('says clearly what is wrong: no such table, no such stack, a stack without the output, no region, no credentials', async () => {
    const noTable = await run(['fleet', '--table', 'nope', '--region', 'eu-west-1']);
    expect(noTable.code).toBe(2);
    expect(noTable.stderr).toBe('periscope: table nope (eu-west-1) does not exist (or is not in this region): check --table and --region, or use --stack.\n');
    const noStack = await run(['fleet', '--stack', 'Missing', '--region', 'eu-west-1']);
    expect(noStack.stderr).toMatch(/^periscope: cannot read stack Missing: stack Missing in eu-west-1 does not exist: Stack with id Missing does not exist/);
    const old = await run(['fleet', '--stack', 'Old', '--region', 'eu-west-1']);
    expect(old.stderr).toMatch(/stack Old in eu-west-1 has no FindingsTableName output \(it has BusName\); deploy this version of the stack, or give --table <name>\./);
    expect((await run(['fleet', '--table', 'x'])).stderr).toMatch(/give --region <region> \(or set AWS_REGION\)/);
    expect((await run(['fleet'])).stderr).toMatch(/say where the findings are: --table <name> --region <r>, --stack Periscope --region <r>, or --store local/);
    const noCredentials = await run(['fleet', ...table()], {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_PROFILE: 'periscope-test-no-such-profile',
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
      AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    });
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toMatch(/^periscope: no AWS credentials to read table .* set AWS_PROFILE/);
    expect((await run(['fleet', '--store', 'local', '--since', 'a week'])).stderr).toMatch(/--since takes a number of days \(e\.g\. 7\), not "a week"/);
    const emptyHome = await run(['fleet', '--store', 'local'], { PERISCOPE_HOME: '/nonexistent/periscope-home' });
    expect(emptyHome.stderr).toMatch(/no local store in \/nonexistent\/periscope-home\/store yet: scan with `periscope scan --store local` first/);
  }, 120_000);
});

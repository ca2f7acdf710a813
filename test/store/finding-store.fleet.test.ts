// The fleet reads of FindingStore on dynalite, over a 60-cluster synthetic fleet recorded through recordScan: the
// inventory, the findings query with each filter, the open tally, every read a Query; and the differential: the same
// scans recorded into the CLI's local store (on disk) give the same fleet views.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFleetView, type FleetFindingsQuery } from '../../shared/model/fleet.ts';
import type { Finding } from '../../shared/model/finding.ts';
import type { SyntheticFleetCluster } from '../../shared/sandbox/synthetic/fleet.ts';
import { openLocalStore, type LocalStore } from '../../shared/store/local.ts';
import {
  fleetNow,
  fleetOf,
  openBySeverity,
  recordFleet,
  roleOf,
  secondScanAt,
  windowSince,
  type ExpectedCluster,
} from './fleet-fixture.ts';
import { newStore, startDynalite, type Backend, type TestStore } from './harness.ts';

const clusters = 60;
const attackPathRules = ['privileged-container'];
const options = { since: windowSince, now: fleetNow, attackPathRules };

let backend: Backend;
let t: TestStore;
let local: LocalStore;
let home: string;
let fleet: SyntheticFleetCluster[];
let expected: ExpectedCluster[];
const reads: string[] = [];

beforeAll(async () => {
  fleet = fleetOf(clusters);
  backend = await startDynalite();
  t = await newStore(backend);
  home = await mkdtemp(join(tmpdir(), 'periscope-fleet-'));
  local = await openLocalStore({ dir: join(home, 'store'), clock: { now: () => new Date(secondScanAt) } });
  expected = await recordFleet(t.store, fleet);
  await recordFleet(local.store, fleet);
  t.client.middlewareStack.add(
    (next, context) => async (args) => {
      reads.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize', name: 'countFleetReads' },
  );
}, 240_000);

afterAll(async () => {
  t?.close();
  await local?.close();
  await backend?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

const allFindings = (): Finding[] => expected.flatMap((e) => e.last);
const nameOf = (clusterId: string): string => fleet.find((c) => c.cluster.id === clusterId)!.cluster.name;
const sortedFingerprints = (list: readonly { fingerprint: string }[]): string[] => list.map((f) => f.fingerprint).sort();

describe('fleetInventory', () => {
  it('has a row per cluster with its counts, scan state, coverage problems, staleness, support and trend', async () => {
    const inventory = await t.store.fleetInventory(options);
    expect(inventory.clusters).toHaveLength(clusters);
    expect(inventory.errors).toEqual([]);
    for (const [i, e] of expected.entries()) {
      const role = roleOf(i);
      const row = inventory.clusters.find((r) => r.clusterId === e.fleet.cluster.id)!;
      expect(row.name).toBe(e.fleet.cluster.name);
      expect(row.accountId).toBe(e.fleet.cluster.accountId);
      expect(row.region).toBe(e.fleet.cluster.region);
      expect(row.version).toBe(e.fleet.info.version);
      expect(row.open, row.name).toEqual(openBySeverity(e.last));
      expect(row.suppressed).toBe(e.last.filter((f) => f.status === 'SUPPRESSED').length);
      expect(row.lastScanResult, row.name).toBe(e.lastResult);
      expect(row.deleted).toBe(e.deleted);
      expect(row.attackPaths).toBe(e.last.filter((f) => f.status === 'OPEN' && attackPathRules.includes(f.ruleId)).length);
      expect(row.coverageProblems).toEqual(role.partial && e.rescanned ? [{ kind: 'PodDisruptionBudget', error: 'forbidden: list poddisruptionbudgets' }] : []);
      // 30 h since the second round, 78 h since the first: stale after 48 h unless rescanned.
      expect(row.stale, row.name).toBe(!e.rescanned || role.neverScanned);
      if (role.failed && e.rescanned) expect(row.lastScanError).toContain('Unauthorized');
      expect(row.trend.resolved, row.name).toBe(e.resolved.length);
      expect(row.trend.scans).toBe(role.neverScanned ? 0 : e.rescanned ? 2 : 1);
      expect(row.trend.failedScans).toBe(role.failed && e.rescanned ? 1 : 0);
      expect(row.trend.days.map((d) => d.day)).toEqual(['2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']);
      if (!role.neverScanned) {
        const firstOpen = e.fleet.findings('x').filter((f, n) => f.status === 'OPEN' && !(role.suppressesSome && n < 3)).length;
        expect(row.trend.days[2]!.open).toBe(0);
        expect(row.trend.days[3]).toMatchObject({ opened: firstOpen, open: firstOpen });
        expect(row.trend.days[6]!.open).toBe(row.openTotal);
      }
    }
    const byVersion = (v: string) => inventory.clusters.find((r) => r.version === v)!.support;
    expect(byVersion('1.27').phase).toBe('unsupported');
    expect(byVersion('1.29')).toMatchObject({ phase: 'extended', endOfExtendedSupport: '2026-03-23', daysLeft: 18 });
    expect(byVersion('1.35')).toMatchObject({ phase: 'standard', endOfStandardSupport: '2027-03-27' });
  });

  it('reads with Queries only: the inventory index, one per attack-path rule, one per cluster scanned in the window', async () => {
    reads.length = 0;
    await t.store.fleetInventory(options);
    expect(new Set(reads)).toEqual(new Set(['QueryCommand']));
    const scannedInWindow = expected.filter((e) => e.lastResult !== 'never').length;
    expect(reads.length).toBe(1 + attackPathRules.length + scannedInWindow);
  });

  it('rejects a window start that is not a time', async () => {
    await expect(t.store.fleetInventory({ ...options, since: 'last week' })).rejects.toThrow(/since time "last week" is not a date/);
  });
});

describe('fleetFindings', () => {
  const query = async (q: FleetFindingsQuery) => t.store.fleetFindings(q);

  it('finds the open findings of a rule across the fleet, with cluster names and frameworks', async () => {
    const ruleId = allFindings()[0]!.ruleId;
    const result = await query({ status: 'open', rules: [ruleId] });
    const want = allFindings().filter((f) => f.status === 'OPEN' && f.ruleId === ruleId);
    expect(want.length).toBeGreaterThanOrEqual(clusters / 2);
    expect(sortedFingerprints(result.findings)).toEqual(sortedFingerprints(want));
    const row = result.findings[0]!;
    expect(row.clusterName).toBe(nameOf(row.clusterId));
    expect(row.frameworks.some((f) => f.startsWith('owasp-k8s-2022:'))).toBe(true);
  });

  it('filters by severity, cluster (by name), namespace and framework control', async () => {
    const bySeverity = await query({ status: 'open', severities: ['critical', 'high'] });
    expect(sortedFingerprints(bySeverity.findings)).toEqual(
      sortedFingerprints(allFindings().filter((f) => f.status === 'OPEN' && (f.severity === 'critical' || f.severity === 'high'))),
    );
    expect(bySeverity.findings.findIndex((f) => f.severity === 'high')).toBeGreaterThan(bySeverity.findings.findLastIndex((f) => f.severity === 'critical'));

    const target = expected[3]!;
    const byCluster = await query({ status: 'open', clusters: [target.fleet.cluster.name] });
    expect(sortedFingerprints(byCluster.findings)).toEqual(sortedFingerprints(target.last.filter((f) => f.status === 'OPEN')));

    const namespace = allFindings().find((f) => f.resource.namespace)!.resource.namespace!;
    const byNamespace = await query({ status: 'open', namespaces: [namespace] });
    expect(sortedFingerprints(byNamespace.findings)).toEqual(
      sortedFingerprints(allFindings().filter((f) => f.status === 'OPEN' && f.resource.namespace === namespace)),
    );

    const k03 = await query({ status: 'open', frameworks: ['k03'] });
    const wantK03 = allFindings().filter((f) => f.status === 'OPEN' && f.frameworks['owasp-k8s-2022']?.includes('K03'));
    expect(sortedFingerprints(k03.findings)).toEqual(sortedFingerprints(wantK03));
    const qualified = await query({ status: 'open', frameworks: ['owasp-k8s-2022:K03'] });
    expect(qualified.findings).toEqual(k03.findings);
  });

  it('finds resolved and suppressed findings (from the cluster partitions) and filters by since', async () => {
    const resolved = await query({ status: 'resolved' });
    const wantResolved = expected.flatMap((e) => e.resolved);
    expect(wantResolved.length).toBeGreaterThan(0);
    expect(sortedFingerprints(resolved.findings)).toEqual(sortedFingerprints(wantResolved));
    expect(resolved.findings.every((f) => f.status === 'RESOLVED' && f.resolvedAt === secondScanAt && f.changedAt === secondScanAt)).toBe(true);

    const suppressed = await query({ status: 'suppressed' });
    expect(sortedFingerprints(suppressed.findings)).toEqual(sortedFingerprints(allFindings().filter((f) => f.status === 'SUPPRESSED')));
    expect(suppressed.findings[0]!.suppressionReason).toBe('accepted risk');

    // Every open finding was opened in the first round: nothing changed since the second.
    expect((await query({ status: 'open', since: '2026-03-02T00:00:00Z' })).findings).toEqual([]);
    expect((await query({ status: 'resolved', since: '2026-03-02T00:00:00Z' })).findings).toHaveLength(wantResolved.length);
  });

  it('reads with Queries only: one per index key, or one per cluster partition', async () => {
    reads.length = 0;
    await query({ status: 'open', rules: ['a', 'b'] });
    expect(reads).toEqual(['QueryCommand', 'QueryCommand', 'QueryCommand']);
    reads.length = 0;
    await query({ status: 'open', severities: ['critical'] });
    expect(reads.length).toBe(1 + 9);
    reads.length = 0;
    await query({ status: 'suppressed' });
    expect(new Set(reads)).toEqual(new Set(['QueryCommand']));
    expect(reads.length).toBe(1 + clusters);
  });
});

describe('fleetOpenTally and the fleet view', () => {
  it('counts open findings by cluster × OWASP category and rule × cluster', async () => {
    const tally = await t.store.fleetOpenTally();
    const open = allFindings().filter((f) => f.status === 'OPEN');
    const cluster = expected[0]!.fleet.cluster.id;
    const k01 = open.filter((f) => f.clusterId === cluster && f.frameworks['owasp-k8s-2022']?.includes('K01')).length;
    expect(k01).toBeGreaterThan(0);
    expect(tally.byCategory[cluster]?.K01).toBe(k01);
    const rule = open[0]!.ruleId;
    const perCluster = Object.values(tally.byRule[rule]!.clusters).reduce((a, b) => a + b, 0);
    expect(perCluster).toBe(open.filter((f) => f.ruleId === rule).length);
  });

  it('builds the view: clusters by risk without the deleted one, top rules, attention list, fleet trend', async () => {
    const view = await buildFleetView(t.store, options);
    expect(view.clusters).toHaveLength(clusters - 1);
    expect(view.clusters.some((c) => c.deleted)).toBe(false);
    for (let i = 1; i < view.clusters.length; i++) expect(view.clusters[i - 1]!.risk).toBeGreaterThanOrEqual(view.clusters[i]!.risk);
    const liveOpen = expected.filter((e) => !e.deleted).flatMap((e) => e.last).filter((f) => f.status === 'OPEN');
    expect(view.totals.openTotal).toBe(liveOpen.length);
    expect(view.topRules[0]!.open).toBeGreaterThanOrEqual(view.topRules[1]!.open);
    expect(view.topRules[0]!.clusters.length).toBeGreaterThan(1);
    const reasons = (name: string) => view.attention.filter((a) => a.name === name).map((a) => a.reason);
    expect(reasons(fleet[7]!.cluster.name)).toContain('never-scanned');
    expect(reasons(fleet[2]!.cluster.name)).toContain('failed');
    expect(reasons(fleet[1]!.cluster.name)).toContain('partial');
    expect(reasons(fleet[9]!.cluster.name)).toContain('stale');
    expect(view.trend.at(-1)!.open).toBe(view.totals.openTotal);
  });
});

describe('the local store gives the same fleet views (differential)', () => {
  const queries: FleetFindingsQuery[] = [
    { status: 'open' },
    { status: 'open', severities: ['high'], namespaces: ['team-000'] },
    { status: 'open', frameworks: ['K01'], since: '2026-01-01T00:00:00Z' },
    { status: 'resolved' },
    { status: 'suppressed', clusters: ['cluster-0006'] },
  ];
  it('inventory, queries, tally and view are identical', async () => {
    expect(await local.store.fleetInventory(options)).toEqual(await t.store.fleetInventory(options));
    for (const q of queries) expect(await local.store.fleetFindings(q), JSON.stringify(q)).toEqual(await t.store.fleetFindings(q));
    expect(await local.store.fleetOpenTally()).toEqual(await t.store.fleetOpenTally());
    expect(await buildFleetView(local.store, options)).toEqual(await buildFleetView(t.store, options));
  });
});

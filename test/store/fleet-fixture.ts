// A recorded fleet for the fleet-view tests: synthetic EKS clusters scanned twice through the real recordScan, with
// resolved, suppressed, partial, failed, stale, never-scanned and deleted clusters; and what each should show,
// worked out from the inputs (not from the store).
import type { Finding, Severity } from '../../shared/model/finding.ts';
import type { KindCoverage } from '../../shared/model/snapshot.ts';
import { syntheticFleet, type SyntheticFleetCluster } from '../../shared/sandbox/synthetic/fleet.ts';
import type { StorePort } from '../../shared/store/port.ts';

export const firstScanAt = '2026-03-01T06:00:00.000Z';
export const secondScanAt = '2026-03-03T06:00:00.000Z';
export const fleetNow = '2026-03-04T12:00:00.000Z';
export const windowSince = '2026-02-26T00:00:00.000Z';

export interface ExpectedCluster {
  fleet: SyntheticFleetCluster;
  /** The findings of its last recorded scan (status as recorded). */
  last: Finding[];
  resolved: Finding[];
  lastResult: 'succeeded' | 'partial' | 'failed' | 'never';
  rescanned: boolean;
  deleted: boolean;
}

export const roleOf = (i: number) => ({
  neverScanned: i === 7,
  deleted: i === 11,
  failed: i % 7 === 2,
  partial: i % 5 === 1 && i % 7 !== 2,
  notRescanned: i % 10 === 9,
  resolvesSome: i % 4 === 0,
  suppressesSome: i % 6 === 0,
});

const suppress = (f: Finding): Finding => ({ ...f, status: 'SUPPRESSED', suppression: { reason: 'accepted risk', source: 'exceptions-file' } });

async function record(
  store: Pick<StorePort, 'acquireLease' | 'recordScan'>,
  c: SyntheticFleetCluster,
  findings: Finding[],
  coverage: Record<string, KindCoverage>,
  at: string,
): Promise<void> {
  const lease = await store.acquireLease(c.cluster.id, 'fleet-test');
  await store.recordScan({ lease, cluster: c.cluster, clusterInfo: c.info, findings, coverage, scannedAt: at, seenAt: at });
}

/** Makes the fleet once (its findings are the engine's, evaluated on a few templates). */
export function fleetOf(clusters: number): SyntheticFleetCluster[] {
  return syntheticFleet({ clusters, findingsPerCluster: 30, templates: 3, seed: 5 });
}

/** Records the fleet's two rounds into a store; returns what each cluster should show. */
export async function recordFleet(
  store: Pick<StorePort, 'acquireLease' | 'recordScan' | 'recordScanFailure' | 'upsertCluster' | 'markClusterDeleted'>,
  fleet: readonly SyntheticFleetCluster[],
  times: { first: string; second: string } = { first: firstScanAt, second: secondScanAt },
): Promise<ExpectedCluster[]> {
  const expected: ExpectedCluster[] = [];
  for (const [i, c] of fleet.entries()) {
    const role = roleOf(i);
    if (role.neverScanned) {
      await store.upsertCluster(c.cluster, c.info);
      expected.push({ fleet: c, last: [], resolved: [], lastResult: 'never', rescanned: false, deleted: false });
      continue;
    }
    let first = c.findings(times.first);
    if (role.suppressesSome) first = first.map((f, n) => (n < 3 ? suppress(f) : f));
    await record(store, c, first, c.coverage, times.first);
    const entry: ExpectedCluster = { fleet: c, last: first, resolved: [], lastResult: 'succeeded', rescanned: false, deleted: false };
    expected.push(entry);
    if (role.notRescanned) continue;
    entry.rescanned = true;
    if (role.failed) {
      const lease = await (store as StorePort).acquireLease(c.cluster.id, 'fleet-test');
      await store.recordScanFailure({ lease, cluster: c.cluster, error: 'Unauthorized: the scanner role has no access entry', at: times.second });
      entry.lastResult = 'failed';
      continue;
    }
    const again = first.map((f) => ({ ...f, firstSeenAt: times.second, lastSeenAt: times.second }));
    const kept = role.resolvesSome ? again.slice(0, again.length - 5) : again;
    const coverage: Record<string, KindCoverage> = role.partial
      ? { ...c.coverage, PodDisruptionBudget: { complete: false, count: 0, error: 'forbidden: list poddisruptionbudgets' } }
      : c.coverage;
    await record(store, c, kept, coverage, times.second);
    entry.last = kept;
    // A suppressed finding no longer seen resolves too.
    entry.resolved = role.resolvesSome ? first.slice(first.length - 5) : [];
    entry.lastResult = role.partial ? 'partial' : 'succeeded';
  }
  for (const [i, c] of fleet.entries()) {
    if (roleOf(i).deleted) {
      await store.markClusterDeleted(c.cluster.id, times.second);
      expected[i]!.deleted = true;
    }
  }
  return expected;
}

export function openBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) if (f.status === 'OPEN') counts[f.severity] += 1;
  return counts;
}

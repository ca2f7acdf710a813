// The fleet views from stored records: a cluster item and its scans in the window make an inventory row; a stored
// finding and its cluster make a findings-query row. Pure: FindingStore reads the records (every read a Query).
import { daysUntil, supportWindowOf } from '../facts/kubernetes-versions.ts';
import {
  compareText,
  defaultStaleAfterHours,
  emptySeverityCounts,
  owaspFrameworkId,
  riskScore,
  type FindingQueryStatus,
  type FleetClusterRow,
  type FleetClusterTrend,
  type FleetFindingRow,
  type FleetFindingsQuery,
  type FleetInventoryOptions,
  type FleetOpenTally,
  type FleetTrendDay,
  type FleetVersionSupport,
} from '../model/fleet.ts';
import { severities, type FindingStatus, type Severity } from '../model/finding.ts';
import type { ClusterRecord, ScanRecord, StoredFinding } from './records.ts';

/** What the inventory reads of a scan record (a projection: the fingerprint lists stay in the table). */
export type ScanTrendRecord = Pick<ScanRecord, 'scannedAt' | 'result' | 'summary' | 'counts'>;

export const statusOfQuery: Record<FindingQueryStatus, FindingStatus> = { open: 'OPEN', resolved: 'RESOLVED', suppressed: 'SUPPRESSED' };

const dayMs = 86_400_000;

export function supportOf(version: string | undefined, now: string): FleetVersionSupport {
  const window = version ? supportWindowOf(version, undefined) : undefined;
  if (!window) return { phase: 'unknown' };
  if (window.source === 'older-than-calendar') return { phase: 'unsupported' };
  const support: FleetVersionSupport = { phase: 'unknown' };
  if (window.endOfStandardSupportDate) support.endOfStandardSupport = window.endOfStandardSupportDate;
  if (window.endOfExtendedSupportDate) support.endOfExtendedSupport = window.endOfExtendedSupportDate;
  const standard = daysUntil(window.endOfStandardSupportDate, now);
  const extended = daysUntil(window.endOfExtendedSupportDate, now);
  if (standard !== undefined && standard >= 0) return { ...support, phase: 'standard', daysLeft: standard };
  if (extended !== undefined && extended >= 0) return { ...support, phase: 'extended', daysLeft: extended };
  if (extended !== undefined) return { ...support, phase: 'unsupported', daysLeft: extended };
  return support;
}

function total(counts: Readonly<Record<Severity, number>> | undefined): number {
  return counts ? severities.reduce((sum, s) => sum + (counts[s] ?? 0), 0) : 0;
}

const dayOf = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

/** Every UTC day from `since` to `now`, both included. */
function windowDays(since: string, now: string): string[] {
  const days: string[] = [];
  const end = dayOf(now);
  for (let t = Date.parse(`${dayOf(since)}T00:00:00.000Z`); ; t += dayMs) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.push(day);
    if (day >= end || days.length > 3660) return days;
  }
}

const openedIn = (s: ScanTrendRecord['summary']): number => s.opened + s.reopened + s.unsuppressed;
const resolvedIn = (s: ScanTrendRecord['summary']): number => s.resolved;

/** A cluster's window: what its scans opened and resolved each day, and its open findings at each day's end (before
 * its first scan in the window: what that scan found already open, and what it resolved). */
export function trendOf(scans: readonly ScanTrendRecord[], openNow: number, since: string, now: string): FleetClusterTrend {
  const recorded = scans.filter((s) => s.result !== 'failed' && s.scannedAt >= since).sort((a, b) => compareText(a.scannedAt, b.scannedAt));
  const first = recorded[0];
  let open = first ? first.summary.unchanged + first.summary.resolved : openNow;
  let next = 0;
  const days: FleetTrendDay[] = windowDays(since, now).map((day) => {
    const point: FleetTrendDay = { day, opened: 0, resolved: 0, open };
    while (next < recorded.length && dayOf(recorded[next]!.scannedAt) <= day) {
      const scan = recorded[next]!;
      point.opened += openedIn(scan.summary);
      point.resolved += resolvedIn(scan.summary);
      open = total(scan.counts.open);
      next += 1;
    }
    point.open = open;
    return point;
  });
  return {
    opened: days.reduce((sum, d) => sum + d.opened, 0),
    resolved: days.reduce((sum, d) => sum + d.resolved, 0),
    scans: scans.filter((s) => s.scannedAt >= since).length,
    failedScans: scans.filter((s) => s.result === 'failed' && s.scannedAt >= since).length,
    days,
  };
}

/** One inventory row from the cluster item, its scans in the window and its open attack paths. */
export function clusterRowOf(
  cluster: ClusterRecord,
  scans: readonly ScanTrendRecord[],
  attackPaths: number,
  options: Pick<FleetInventoryOptions, 'since' | 'now' | 'staleAfterHours'>,
): FleetClusterRow {
  const open = { ...emptySeverityCounts(), ...cluster.counts?.open };
  const staleMs = (options.staleAfterHours ?? defaultStaleAfterHours) * 3_600_000;
  const lastScan = cluster.lastScanAt ? Date.parse(cluster.lastScanAt) : Number.NaN;
  const row: FleetClusterRow = {
    clusterId: cluster.clusterId,
    name: cluster.name ?? cluster.clusterId,
    support: supportOf(cluster.version, options.now),
    deleted: cluster.deleted === true,
    lastScanResult: cluster.lastScanResult ?? 'never',
    coverageProblems: Object.entries(cluster.coverage ?? {})
      .filter(([, c]) => !c.complete)
      .map(([kind, c]) => (c.error === undefined ? { kind } : { kind, error: c.error }))
      .sort((a, b) => compareText(a.kind, b.kind)),
    stale: Number.isNaN(lastScan) || Date.parse(options.now) - lastScan > staleMs,
    open,
    openTotal: total(open),
    suppressed: cluster.counts?.suppressed ?? 0,
    attackPaths,
    trend: trendOf(scans, total(open), options.since, options.now),
    risk: riskScore(open, attackPaths),
  };
  for (const field of ['source', 'accountId', 'region', 'arn', 'version', 'lastScanAt'] as const) {
    const value = cluster[field];
    if (typeof value === 'string') row[field] = value;
  }
  if (cluster.lastScanResult === 'failed' && cluster.lastScanError) row.lastScanError = cluster.lastScanError;
  return row;
}

/** `framework:control` ids of a finding, sorted. */
function frameworkIdsOf(finding: Pick<StoredFinding, 'frameworks'>): string[] {
  return Object.entries(finding.frameworks)
    .flatMap(([framework, controls]) => controls.map((control) => `${framework}:${control}`))
    .sort(compareText);
}

/** When the finding last changed (the time `--since` filters on). */
export function changedAtOf(finding: Pick<StoredFinding, 'changedAt' | 'resolvedAt' | 'firstSeenAt' | 'status'>): string {
  if (finding.status === 'RESOLVED' && finding.resolvedAt) return finding.resolvedAt;
  return finding.changedAt ?? finding.firstSeenAt;
}

/** Cluster ids or names → the ids they name (a value naming no cluster names nothing). */
export function clusterIdsOf(wanted: readonly string[], clusters: readonly ClusterRecord[]): Set<string> {
  const set = new Set(wanted);
  return new Set(clusters.filter((c) => set.has(c.clusterId) || set.has(c.name)).map((c) => c.clusterId));
}

/** Whether a stored finding matches every filter of the query. */
export function matchesQuery(finding: StoredFinding, query: FleetFindingsQuery, clusterIds: ReadonlySet<string> | undefined): boolean {
  if (finding.status !== statusOfQuery[query.status]) return false;
  if (clusterIds && !clusterIds.has(finding.clusterId)) return false;
  if (query.rules && query.rules.length > 0 && !query.rules.includes(finding.ruleId)) return false;
  if (query.severities && query.severities.length > 0 && !query.severities.includes(finding.severity)) return false;
  if (query.namespaces && query.namespaces.length > 0 && !query.namespaces.includes(finding.resource.namespace ?? '')) return false;
  if (query.frameworks && query.frameworks.length > 0) {
    const ids = frameworkIdsOf(finding);
    const hit = query.frameworks.some((wanted) => {
      const w = wanted.toLowerCase();
      return ids.some((id) => id.toLowerCase() === w || id.slice(id.indexOf(':') + 1).toLowerCase() === w);
    });
    if (!hit) return false;
  }
  if (query.since && changedAtOf(finding) < query.since) return false;
  return true;
}

export function findingRowOf(finding: StoredFinding, cluster: ClusterRecord | undefined): FleetFindingRow {
  const row: FleetFindingRow = {
    clusterId: finding.clusterId,
    clusterName: cluster?.name ?? finding.clusterId,
    fingerprint: finding.fingerprint,
    ruleId: finding.ruleId,
    severity: finding.severity,
    status: finding.status,
    kind: finding.resource.kind,
    name: finding.resource.name,
    message: finding.message,
    frameworks: frameworkIdsOf(finding),
    firstSeenAt: finding.firstSeenAt,
    lastSeenAt: finding.lastSeenAt,
    changedAt: changedAtOf(finding),
  };
  if (cluster?.accountId) row.accountId = cluster.accountId;
  if (cluster?.region) row.region = cluster.region;
  if (finding.resource.namespace !== undefined) row.namespace = finding.resource.namespace;
  if (finding.resource.container !== undefined) row.container = finding.resource.container;
  if (finding.resolvedAt) row.resolvedAt = finding.resolvedAt;
  if (finding.suppression) row.suppressionReason = finding.suppression.reason;
  return row;
}

export function emptyTally(): FleetOpenTally {
  return { byCategory: {}, byRule: {}, errors: [] };
}

/** Counts one open finding into the tally. */
export function tallyFinding(
  tally: FleetOpenTally,
  finding: { clusterId: string; ruleId: string; severity: Severity; frameworks?: Record<string, string[]> },
): void {
  const categories = (tally.byCategory[finding.clusterId] ??= {});
  for (const category of new Set(finding.frameworks?.[owaspFrameworkId] ?? [])) categories[category] = (categories[category] ?? 0) + 1;
  const rule = (tally.byRule[finding.ruleId] ??= { severity: finding.severity, clusters: {} });
  rule.clusters[finding.clusterId] = (rule.clusters[finding.clusterId] ?? 0) + 1;
}

/** Runs `work` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next;
      next += 1;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// The fleet views: one row per cluster of the inventory, a findings query across the fleet, and the fleet view a
// report draws (open counts by severity and OWASP category per cluster, top rules with the clusters they hit, a
// trend per day, stale or failing clusters). The store reads what these are built from (FleetReads); building the
// view is pure.
import { severities, severityRank, type FindingStatus, type Severity } from './finding.ts';

/** The framework whose control ids are the heat map's categories. */
export const owaspFrameworkId = 'owasp-k8s-2022';
/** The OWASP Kubernetes Top 10 (2022) categories, in order. */
export const owaspCategories = ['K01', 'K02', 'K03', 'K04', 'K05', 'K06', 'K07', 'K08', 'K09', 'K10'] as const;

export const findingQueryStatuses = ['open', 'resolved', 'suppressed'] as const;
export type FindingQueryStatus = (typeof findingQueryStatuses)[number];

/** A cluster whose last scan is older than this is stale. Scans run every few hours by default. */
export const defaultStaleAfterHours = 48;

export type FleetScanResult = 'succeeded' | 'partial' | 'failed';

/** Where a cluster's Kubernetes version stands in the EKS support calendar. */
export interface FleetVersionSupport {
  /** `standard` / `extended` until the end of that support; `unsupported` after extended support; `unknown` when
   * the version is not in the calendar (or not an EKS version). */
  phase: 'standard' | 'extended' | 'unsupported' | 'unknown';
  endOfStandardSupport?: string;
  endOfExtendedSupport?: string;
  /** Days until the end of the current phase (negative once extended support has ended). */
  daysLeft?: number;
}

/** A kind the last scan could not list completely. */
export interface FleetCoverageProblem {
  kind: string;
  error?: string;
}

/** One day of the trend window (UTC). */
export interface FleetTrendDay {
  /** `YYYY-MM-DD`. */
  day: string;
  /** Findings opened that day (new, reopened and unsuppressed ones). */
  opened: number;
  /** Findings resolved that day. */
  resolved: number;
  /** Open findings at the end of the day. */
  open: number;
}

export interface FleetClusterTrend {
  /** Sums over the window. */
  opened: number;
  resolved: number;
  scans: number;
  failedScans: number;
  days: FleetTrendDay[];
}

/** One cluster of the inventory. */
export interface FleetClusterRow {
  clusterId: string;
  name: string;
  source?: string;
  accountId?: string;
  region?: string;
  arn?: string;
  version?: string;
  support: FleetVersionSupport;
  deleted: boolean;
  lastScanAt?: string;
  /** `never` before the first scan. */
  lastScanResult: FleetScanResult | 'never';
  lastScanError?: string;
  /** Kinds the last scan could not list completely (a partial scan resolves nothing of them). */
  coverageProblems: FleetCoverageProblem[];
  /** The last scan is older than the stale threshold (or there never was one). */
  stale: boolean;
  open: Record<Severity, number>;
  openTotal: number;
  suppressed: number;
  /** Open findings of the attack-path rules. */
  attackPaths: number;
  trend: FleetClusterTrend;
  /** See riskScore. */
  risk: number;
}

export interface FleetInventory {
  /** When it was read (ISO). */
  at: string;
  /** Start of the trend window (ISO). */
  since: string;
  clusters: FleetClusterRow[];
  /** Stored items that could not be read (skipped). */
  errors: string[];
}

export interface FleetInventoryOptions {
  /** Start of the trend window (ISO). */
  since: string;
  /** Now (ISO): staleness and the days left of support are counted from it. */
  now: string;
  /** Rule ids whose open findings count as attack paths. */
  attackPathRules: readonly string[];
  staleAfterHours?: number;
}

/** A findings query across the fleet; each given filter must match (a list matches any of its values). */
export interface FleetFindingsQuery {
  status: FindingQueryStatus;
  /** Cluster ids or names. */
  clusters?: readonly string[];
  rules?: readonly string[];
  severities?: readonly Severity[];
  namespaces?: readonly string[];
  /** Framework control ids (`K03`), or `framework:control` (`owasp-k8s-2022:K03`, `cis-eks-1.8:4.1.1`). */
  frameworks?: readonly string[];
  /** ISO: only findings whose last change (opened, reopened, changed, suppressed, resolved) is at or after it. */
  since?: string;
}

export interface FleetFindingRow {
  clusterId: string;
  clusterName: string;
  accountId?: string;
  region?: string;
  fingerprint: string;
  ruleId: string;
  severity: Severity;
  status: FindingStatus;
  namespace?: string;
  kind: string;
  name: string;
  container?: string;
  message: string;
  /** `framework:control` ids, sorted. */
  frameworks: string[];
  firstSeenAt: string;
  lastSeenAt: string;
  /** Time of the last change (the time `--since` filters on). */
  changedAt: string;
  resolvedAt?: string;
  suppressionReason?: string;
}

export interface FleetFindingsResult {
  query: FleetFindingsQuery;
  /** Most severe first, then cluster name, rule, namespace, name. */
  findings: FleetFindingRow[];
  /** Stored items that could not be read (skipped). */
  errors: string[];
}

/** Open findings of the whole fleet, counted as they stream by (never all held at once). */
export interface FleetOpenTally {
  /** Cluster id → OWASP category (`K01`...) → open findings. A finding under several categories counts in each. */
  byCategory: Record<string, Record<string, number>>;
  /** Rule id → its severity and cluster id → open findings. */
  byRule: Record<string, { severity: Severity; clusters: Record<string, number> }>;
  errors: string[];
}

/** What the fleet view is read from: the store port implements it. */
export interface FleetReads {
  fleetInventory(options: FleetInventoryOptions): Promise<FleetInventory>;
  fleetFindings(query: FleetFindingsQuery): Promise<FleetFindingsResult>;
  fleetOpenTally(): Promise<FleetOpenTally>;
}

export interface FleetTopRule {
  ruleId: string;
  severity: Severity;
  open: number;
  /** The clusters it hits, most findings first. */
  clusters: { clusterId: string; name: string; open: number }[];
}

export type FleetAttentionReason = 'never-scanned' | 'stale' | 'failed' | 'partial' | 'unsupported-version';

export interface FleetAttention {
  clusterId: string;
  name: string;
  reason: FleetAttentionReason;
  detail: string;
}

/** Everything the fleet report draws. */
export interface FleetView {
  at: string;
  since: string;
  /** Clusters by risk, worst first (deleted ones left out). */
  clusters: FleetClusterRow[];
  totals: {
    clusters: number;
    open: Record<Severity, number>;
    openTotal: number;
    suppressed: number;
    attackPaths: number;
    stale: number;
    failing: number;
  };
  /** The heat map: cluster id → OWASP category → open findings (every category present, 0 when none). */
  byCategory: Record<string, Record<string, number>>;
  categories: readonly string[];
  /** Rules with the most open findings across the fleet, worst severity first on ties. */
  topRules: FleetTopRule[];
  /** The fleet's days (open findings summed over the clusters). */
  trend: FleetTrendDay[];
  /** Stale, failing, partial, never-scanned or unsupported clusters. */
  attention: FleetAttention[];
  errors: string[];
}

const riskWeights: Record<Severity, number> = { critical: 100, high: 20, medium: 5, low: 1, info: 0 };
const attackPathWeight = 150;

/** One number to rank clusters by: open findings weighted by severity (critical 100, high 20, medium 5, low 1),
 * plus 150 per attack path. */
export function riskScore(open: Readonly<Record<Severity, number>>, attackPaths: number): number {
  return severities.reduce((sum, s) => sum + riskWeights[s] * (open[s] ?? 0), 0) + attackPathWeight * attackPaths;
}

export function emptySeverityCounts(): Record<Severity, number> {
  return Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;
}

/** Worst first: risk, then critical, then name. */
export function compareByRisk(a: FleetClusterRow, b: FleetClusterRow): number {
  return b.risk - a.risk || b.open.critical - a.open.critical || compareText(a.name, b.name) || compareText(a.clusterId, b.clusterId);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Most severe first, then cluster, rule, namespace, kind, name, fingerprint: one total order. */
export function compareFleetFindings(a: FleetFindingRow, b: FleetFindingRow): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.clusterName, b.clusterName) ||
    compareText(a.clusterId, b.clusterId) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.namespace ?? '', b.namespace ?? '') ||
    compareText(a.kind, b.kind) ||
    compareText(a.name, b.name) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

function attentionOf(row: FleetClusterRow, staleAfterHours: number): FleetAttention[] {
  const at = { clusterId: row.clusterId, name: row.name };
  const out: FleetAttention[] = [];
  if (row.lastScanResult === 'never') out.push({ ...at, reason: 'never-scanned', detail: 'no scan recorded yet' });
  else if (row.stale) out.push({ ...at, reason: 'stale', detail: `last scan ${row.lastScanAt ?? '?'} (over ${staleAfterHours} h ago)` });
  if (row.lastScanResult === 'failed') out.push({ ...at, reason: 'failed', detail: row.lastScanError ?? 'the last scan failed' });
  if (row.coverageProblems.length > 0) {
    const kinds = row.coverageProblems.map((p) => (p.error ? `${p.kind} (${p.error})` : p.kind));
    out.push({ ...at, reason: 'partial', detail: `not completely listed: ${kinds.join(', ')}` });
  }
  if (row.support.phase === 'unsupported') {
    out.push({ ...at, reason: 'unsupported-version', detail: `Kubernetes ${row.version ?? '?'} is out of EKS support` });
  }
  return out;
}

/** Sums the clusters' days (a cluster without a day in the window adds nothing to it). */
function fleetTrend(rows: readonly FleetClusterRow[]): FleetTrendDay[] {
  const days = new Map<string, FleetTrendDay>();
  for (const row of rows) {
    for (const day of row.trend.days) {
      const sum = days.get(day.day) ?? { day: day.day, opened: 0, resolved: 0, open: 0 };
      sum.opened += day.opened;
      sum.resolved += day.resolved;
      sum.open += day.open;
      days.set(day.day, sum);
    }
  }
  return [...days.values()].sort((a, b) => compareText(a.day, b.day));
}

/** The fleet view, from the inventory and the tally of open findings. */
export function fleetViewOf(
  inventory: FleetInventory,
  tally: FleetOpenTally,
  options: { topRules?: number; staleAfterHours?: number } = {},
): FleetView {
  const staleAfterHours = options.staleAfterHours ?? defaultStaleAfterHours;
  const clusters = inventory.clusters.filter((c) => !c.deleted).sort(compareByRisk);
  const names = new Map(inventory.clusters.map((c) => [c.clusterId, c.name]));
  const live = new Set(clusters.map((c) => c.clusterId));
  const open = emptySeverityCounts();
  for (const row of clusters) for (const s of severities) open[s] += row.open[s];
  const byCategory: Record<string, Record<string, number>> = {};
  for (const row of clusters) {
    const counts = tally.byCategory[row.clusterId] ?? {};
    byCategory[row.clusterId] = Object.fromEntries(owaspCategories.map((k) => [k, counts[k] ?? 0]));
  }
  const topRules: FleetTopRule[] = Object.entries(tally.byRule)
    .map(([ruleId, rule]) => {
      const hit = Object.entries(rule.clusters)
        .filter(([id]) => live.has(id))
        .map(([clusterId, n]) => ({ clusterId, name: names.get(clusterId) ?? clusterId, open: n }))
        .sort((a, b) => b.open - a.open || compareText(a.name, b.name) || compareText(a.clusterId, b.clusterId));
      return { ruleId, severity: rule.severity, open: hit.reduce((sum, c) => sum + c.open, 0), clusters: hit };
    })
    .filter((rule) => rule.open > 0)
    .sort((a, b) => b.open - a.open || severityRank(b.severity) - severityRank(a.severity) || compareText(a.ruleId, b.ruleId))
    .slice(0, options.topRules ?? 20);
  const attention = clusters.flatMap((row) => attentionOf(row, staleAfterHours));
  return {
    at: inventory.at,
    since: inventory.since,
    clusters,
    totals: {
      clusters: clusters.length,
      open,
      openTotal: severities.reduce((sum, s) => sum + open[s], 0),
      suppressed: clusters.reduce((sum, c) => sum + c.suppressed, 0),
      attackPaths: clusters.reduce((sum, c) => sum + c.attackPaths, 0),
      stale: clusters.filter((c) => c.stale).length,
      failing: clusters.filter((c) => c.lastScanResult === 'failed').length,
    },
    byCategory,
    categories: owaspCategories,
    topRules,
    trend: fleetTrend(clusters),
    attention,
    errors: [...inventory.errors, ...tally.errors],
  };
}

/** Reads the inventory and the tally of open findings, and builds the view. */
export async function buildFleetView(
  reads: Pick<FleetReads, 'fleetInventory' | 'fleetOpenTally'>,
  options: FleetInventoryOptions & { topRules?: number },
): Promise<FleetView> {
  const [inventory, tally] = await Promise.all([reads.fleetInventory(options), reads.fleetOpenTally()]);
  return fleetViewOf(inventory, tally, options);
}

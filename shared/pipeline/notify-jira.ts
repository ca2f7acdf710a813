// syncJira: after each scan, bring the cluster's Jira tickets in line with its stored findings (one ticket per
// rule × cluster by default). Every group is reconciled from state, so redelivered events change nothing and
// groups left pending by a Jira outage are retried.
// sweepPendingTickets: on a schedule, the same per-cluster sync for every cluster with an unsettled ticket item
// (pending, a stale claim, an open ticket of a deleted cluster). Scan Completed events reach the function only
// when they match its severity filter, so without the sweep a close that failed during an outage would never be
// retried once the cluster stops changing.
import type { ScanCompleted } from '../model/pipeline.ts';
import type { SyncInput, SyncReport } from './jira-sync.ts';
import type { StorePort } from '../store/port.ts';
import type { ClusterRecord, TicketRecord } from '../store/records.ts';
import type { Logger, Metrics } from '../model/cross-cutting.ts';

/** A cluster's stored findings, every status. */
export type ClusterFindingsSource = Pick<StorePort, 'findings'>;

/** JiraSync, or a fake. */
export interface TicketSync {
  syncCluster(input: SyncInput): Promise<SyncReport>;
}

export interface SyncJiraDeps {
  findings: ClusterFindingsSource;
  tickets: TicketSync;
  logger: Logger;
  metrics: Metrics;
}

/** The input of the sweep's schedule (cdk/notifiers.ts), in the shape of the discovery schedule's. */
export const jiraSweepEvent = { source: 'periscope.schedule', action: 'jira-sweep' } as const;

async function syncClusterTickets(cluster: ScanCompleted['cluster'], scanId: string, deps: SyncJiraDeps): Promise<SyncReport> {
  const findings = await deps.findings.findings(cluster.id);
  const report = await deps.tickets.syncCluster({ cluster, scanId, findings });
  const count = (outcome: string): number => report.results.filter((r) => r.outcome === outcome).length;
  deps.metrics.count('JiraTicketsCreated', report.created);
  deps.metrics.count('JiraTicketsClosed', count('closed'));
  deps.metrics.count('JiraTicketsPending', report.pending);
  if (report.pending > 0) {
    deps.logger.warn('some Jira tickets are pending; the next scan of the cluster or the next Jira sweep retries them', {
      cluster: cluster.id,
      scanId,
      pending: report.results.filter((r) => r.outcome === 'pending').map((r) => ({ group: r.key, error: r.error })),
    });
  }
  return report;
}

export async function syncJira(event: ScanCompleted, deps: SyncJiraDeps): Promise<SyncReport> {
  return syncClusterTickets(event.cluster, event.scanId, deps);
}

// ── The sweep ──────────────────────────────────────────────────────────────────────────────────────────────

/** The inventory and the ticket items. */
export type SweepStore = Pick<StorePort, 'findings' | 'clusters' | 'tickets'>;

/** JiraSync, or a fake: the sync plus its notion of a settled ticket. */
export interface SweepTicketSync extends TicketSync {
  needsSync(ticket: TicketRecord, options: { clusterDeleted?: boolean }): boolean;
}

export interface SweepDeps {
  store: SweepStore;
  tickets: SweepTicketSync;
  logger: Logger;
  metrics: Metrics;
  /** Checked before each cluster: true stops the sweep (the function's time is running out); the next one goes on. */
  stop?: () => boolean;
}

export interface SweepReport {
  /** Clusters in the inventory. */
  clusters: number;
  /** Clusters with an unsettled ticket, synced. */
  synced: number;
  /** Clusters not looked at because `stop` said so. */
  unvisited: number;
  created: number;
  closed: number;
  /** Groups still pending after the sweep (Jira still failing). */
  pending: number;
  /** Clusters whose sweep failed (not a Jira failure: those leave groups pending). */
  failed: { cluster: string; error: string }[];
}

function eventClusterOfRecord(record: ClusterRecord): ScanCompleted['cluster'] {
  const out: ScanCompleted['cluster'] = { id: record.clusterId, name: record.name };
  if (record.arn) out.arn = record.arn;
  if (record.accountId) out.accountId = record.accountId;
  if (record.region) out.region = record.region;
  return out;
}

/** What comments posted by the sweep name as their scan: the deletion, or the last scan (whose result it is). */
function sweepScanId(record: ClusterRecord): string {
  if (record.deleted) return record.deletedAt ? `deleted-${record.deletedAt}` : 'cluster-deleted';
  return record.lastScanId ?? 'jira-sweep';
}

/**
 * Syncs the tickets of every cluster that has an unsettled ticket item, one cluster at a time (gentle on Jira).
 * A settled cluster costs one Query of its ticket items and no Jira call. A cluster whose sync throws is
 * reported and the sweep goes on; the caller decides whether that fails the invocation.
 */
export async function sweepPendingTickets(deps: SweepDeps): Promise<SweepReport> {
  const clusters = await deps.store.clusters();
  const report: SweepReport = { clusters: clusters.length, synced: 0, unvisited: 0, created: 0, closed: 0, pending: 0, failed: [] };
  for (const [index, record] of clusters.entries()) {
    if (deps.stop?.()) {
      report.unvisited = clusters.length - index;
      deps.logger.warn('Jira sweep stopped before the end of the inventory; the next sweep goes on', { unvisited: report.unvisited });
      break;
    }
    try {
      const tickets = await deps.store.tickets(record.clusterId);
      const unsettled = tickets.filter((t) => deps.tickets.needsSync(t, { clusterDeleted: record.deleted }));
      if (unsettled.length === 0) continue;
      deps.logger.info('Jira sweep: retrying unsettled tickets', {
        cluster: record.clusterId,
        deleted: record.deleted,
        groups: unsettled.map((t) => ({ group: t.ruleId, state: t.state ?? 'creating', issueKey: t.issueKey })),
      });
      const synced = await syncClusterTickets(eventClusterOfRecord(record), sweepScanId(record), { ...deps, findings: deps.store });
      report.synced += 1;
      report.created += synced.created;
      report.closed += synced.results.filter((r) => r.outcome === 'closed').length;
      report.pending += synced.pending;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report.failed.push({ cluster: record.clusterId, error: message });
      deps.logger.error('Jira sweep of a cluster failed; the next sweep retries it', { cluster: record.clusterId, error: message });
    }
  }
  deps.metrics.count('JiraSweepClustersSynced', report.synced);
  deps.logger.info('Jira sweep done', { ...report, failed: report.failed.length });
  return report;
}

// syncJira: after each scan, bring the cluster's Jira tickets in line with its stored findings (one ticket per
// rule × cluster by default). Every group is reconciled from state, so redelivered events change nothing and
// groups left pending by a Jira outage are retried.
import type { Finding } from '../model/finding.ts';
import type { ScanCompleted } from '../model/pipeline.ts';
import type { SyncInput, SyncReport } from '../notify/jira/sync.ts';
import type { Logger, Metrics } from './ports.ts';

/** A cluster's stored findings, every status (FindingStore.findings fits). */
export interface ClusterFindingsSource {
  findings(clusterId: string): Promise<Finding[]>;
}

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

export async function syncJira(event: ScanCompleted, deps: SyncJiraDeps): Promise<SyncReport> {
  const findings = await deps.findings.findings(event.cluster.id);
  const report = await deps.tickets.syncCluster({ cluster: event.cluster, scanId: event.scanId, findings });
  const count = (outcome: string): number => report.results.filter((r) => r.outcome === outcome).length;
  deps.metrics.count('JiraTicketsCreated', report.created);
  deps.metrics.count('JiraTicketsClosed', count('closed'));
  deps.metrics.count('JiraTicketsPending', report.pending);
  if (report.pending > 0) {
    deps.logger.warn('some Jira tickets are pending; the next scan of the cluster retries them', {
      cluster: event.cluster.id,
      scanId: event.scanId,
      pending: report.results.filter((r) => r.outcome === 'pending').map((r) => ({ group: r.key, error: r.error })),
    });
  }
  return report;
}

// cluster-events: an EKS CloudTrail event becomes a ScanRequest, or, for DeleteCluster, a deleted cluster.
import type { ScanRequest } from '../model/pipeline.ts';
import type { StorePort } from '../store/port.ts';
import { handleClusterDeleted } from './cluster-deleted.ts';
import { interpretClusterEvent, type EksCloudTrailEvent } from './cloudtrail.ts';
import type { Clock, Logger, Metrics } from '../model/cross-cutting.ts';
import type { EventPublisher, ScanQueue } from './ports.ts';

export interface ClusterEventDeps {
  queue: ScanQueue;
  store: Pick<StorePort, 'resolveAllFindings' | 'markClusterDeleted'>;
  publisher: EventPublisher;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** The scanner's own role: its auto-enrolment access entries do not trigger scans. */
  ownPrincipalArn?: string;
}

export type ClusterEventResult =
  | { outcome: 'enqueued'; request: ScanRequest }
  | { outcome: 'deleted'; clusterArn: string; resolved: number }
  | { outcome: 'ignored'; reason: string };

export async function handleClusterEvent(event: EksCloudTrailEvent, deps: ClusterEventDeps): Promise<ClusterEventResult> {
  const action = interpretClusterEvent(event, deps.ownPrincipalArn);
  const context = { eventName: action.eventName, eventId: action.eventId };
  if (action.action === 'ignore') {
    deps.logger.info('event ignored', { ...context, reason: action.reason });
    deps.metrics.count('EventsIgnored');
    return { outcome: 'ignored', reason: action.reason };
  }
  // The event's own time: a scan that starts after it already sees the change (duplicates collapse on it).
  const at = action.at ?? deps.clock.now().toISOString();
  if (action.action === 'delete') {
    const { resolved } = await handleClusterDeleted(action.cluster, at, deps);
    return { outcome: 'deleted', clusterArn: action.cluster.arn, resolved };
  }
  const request: ScanRequest = {
    clusterArn: action.cluster.arn,
    region: action.cluster.region,
    accountId: action.cluster.accountId,
    reason: 'cluster-event',
    trigger: action.eventId ? `${action.eventName} ${action.eventId}` : action.eventName,
    requestedAt: at,
    attempt: 0,
  };
  await deps.queue.send(request);
  deps.metrics.count('ScanRequestsFromEvents');
  deps.logger.info('scan requested', { ...context, clusterArn: request.clusterArn });
  return { outcome: 'enqueued', request };
}

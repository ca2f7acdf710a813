// A cluster that no longer exists: its inventory item is marked deleted and its open findings are resolved.
import type { ClusterRef } from '../model/cluster.ts';
import type { StorePort } from '../store/port.ts';
import { resolvedEvents } from './events.ts';
import type { Logger, Metrics } from '../model/cross-cutting.ts';
import type { EventPublisher } from './ports.ts';
import type { ClusterLocation } from '../eks/port.ts';

export const clusterDeletedReason = 'cluster deleted';

export interface ClusterDeletedDeps {
  store: Pick<StorePort, 'resolveAllFindings' | 'markClusterDeleted'>;
  publisher: EventPublisher;
  logger: Logger;
  metrics: Metrics;
}

export function clusterRefOf(cluster: ClusterLocation): ClusterRef {
  return { id: cluster.arn, name: cluster.name, arn: cluster.arn, accountId: cluster.accountId, region: cluster.region, source: 'eks' };
}

/** Idempotent: a second call finds nothing open and publishes nothing. */
export async function handleClusterDeleted(
  cluster: ClusterLocation,
  at: string,
  deps: ClusterDeletedDeps,
): Promise<{ resolved: number }> {
  const ref = clusterRefOf(cluster);
  const resolved = await deps.store.resolveAllFindings(ref, at);
  await deps.store.markClusterDeleted(cluster.arn, at);
  if (resolved.length > 0) {
    await deps.publisher.publish(resolvedEvents(ref, `deleted-${at}`, resolved, clusterDeletedReason));
  }
  deps.metrics.count('ClustersDeleted');
  deps.logger.info('cluster deleted: inventory marked, open findings resolved', {
    clusterArn: cluster.arn,
    resolved: resolved.length,
  });
  return { resolved: resolved.length };
}

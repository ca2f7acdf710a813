// discover: list the clusters of every configured account and region, keep the inventory in step, and ask
// for one scan per cluster. Clusters the inventory knows but EKS no longer lists are marked deleted.
import type { ClusterRef } from '../model/cluster.ts';
import type { ScanRequest } from '../model/pipeline.ts';
import type { StorePort } from '../store/port.ts';
import type { ClusterRecord } from '../store/records.ts';
import { clusterRefOf, handleClusterDeleted } from './cluster-deleted.ts';
import type { Clock, Logger, Metrics } from '../model/cross-cutting.ts';
import type { EventPublisher, ScanQueue } from './ports.ts';
import type { ClusterDirectory, DiscoveryTarget } from '../eks/port.ts';

export interface DiscoverDeps {
  directory: ClusterDirectory;
  store: Pick<StorePort, 'upsertCluster' | 'clusters' | 'resolveAllFindings' | 'markClusterDeleted'>;
  queue: ScanQueue;
  publisher: EventPublisher;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}

export interface DiscoverResult {
  found: number;
  enqueued: number;
  deleted: number;
  failedTargets: { target: DiscoveryTarget; error: string }[];
}

export class DiscoveryError extends Error {
  readonly failures: DiscoverResult['failedTargets'];
  constructor(failures: DiscoverResult['failedTargets']) {
    const where = failures.map((f) => `${f.target.accountId}/${f.target.region}: ${f.error}`).join('; ');
    super(
      `discovery failed for ${failures.length} account/region pair(s): ${where}. ` +
        'Check that the target-account role exists and trusts the scanner role, and that the region is enabled.',
    );
    this.name = 'DiscoveryError';
    this.failures = failures;
  }
}

/** The inventory item already says all discovery knows of a listed cluster: writing it again would change nothing
 * but `seenAt` (the scan discovery requests refreshes that in its own write), so an unchanged fleet costs no writes. */
function alreadyRecorded(record: ClusterRecord | undefined, ref: ClusterRef): boolean {
  return (
    record !== undefined &&
    !record.deleted &&
    record.deletedAt === undefined &&
    record.name === ref.name &&
    record.arn === ref.arn &&
    record.accountId === ref.accountId &&
    record.region === ref.region &&
    record.source === ref.source
  );
}

/** Every target is tried; one that fails (role not assumable, region disabled) does not stop the others,
 * and none of its clusters is marked deleted. Failures are thrown together at the end. */
export async function discover(targets: readonly DiscoveryTarget[], deps: DiscoverDeps): Promise<DiscoverResult> {
  const result: DiscoverResult = { found: 0, enqueued: 0, deleted: 0, failedTargets: [] };
  const requestedAt = deps.clock.now().toISOString();
  const inventory = new Map((await deps.store.clusters()).map((record) => [record.clusterId, record]));
  for (const target of targets) {
    let clusters;
    try {
      clusters = await deps.directory.list(target);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.logger.error('could not list clusters', { accountId: target.accountId, region: target.region, error: message });
      result.failedTargets.push({ target, error: message });
      continue;
    }
    result.found += clusters.length;
    const listed = new Set(clusters.map((c) => c.arn));
    for (const cluster of clusters) {
      const ref = clusterRefOf(cluster);
      if (!alreadyRecorded(inventory.get(ref.id), ref)) await deps.store.upsertCluster(ref);
    }
    const requests: ScanRequest[] = clusters.map((cluster) => ({
      clusterArn: cluster.arn,
      region: cluster.region,
      accountId: cluster.accountId,
      reason: 'schedule',
      trigger: 'schedule',
      requestedAt,
      attempt: 0,
    }));
    if (requests.length > 0) await deps.queue.sendBatch(requests);
    result.enqueued += requests.length;

    const known = [...inventory.values()].filter((r) => r.accountId === target.accountId && r.region === target.region);
    for (const record of known) {
      if (listed.has(record.clusterId) || record.deleted) continue;
      const { arn, name, region, accountId } = record;
      if (!arn || !region || !accountId) continue;
      await handleClusterDeleted({ arn, name, region, accountId }, requestedAt, deps);
      result.deleted += 1;
    }
  }
  deps.metrics.count('ClustersDiscovered', result.found);
  deps.logger.info('discovery done', { ...result, failedTargets: result.failedTargets.length });
  if (result.failedTargets.length > 0) throw new DiscoveryError(result.failedTargets);
  return result;
}

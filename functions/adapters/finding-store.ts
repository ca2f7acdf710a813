// The pipeline's store port on the DynamoDB FindingStore (shared/store): inventory, lease, scans, and the
// resolution of a deleted cluster's findings.
import { randomUUID } from 'node:crypto';
import type { ClusterInfo, ClusterRef } from '../../shared/model/cluster.ts';
import type { Finding } from '../../shared/model/finding.ts';
import type { KindCoverage } from '../../shared/model/snapshot.ts';
import type {
  InventoryItem,
  Lease,
  PipelineStore,
  ReconcileOutcome,
  RecordScanInput,
} from '../../shared/pipeline/ports.ts';
import { LeaseHeldError } from '../../shared/store/errors.ts';
import type { FindingStore } from '../../shared/store/finding-store.ts';
import type { ClusterRecord } from '../../shared/store/records.ts';

function inventoryOf(record: ClusterRecord): InventoryItem {
  const cluster: ClusterRef = { id: record.clusterId, name: record.name, source: 'eks' };
  if (record.arn) cluster.arn = record.arn;
  if (record.accountId) cluster.accountId = record.accountId;
  if (record.region) cluster.region = record.region;
  const item: InventoryItem = { cluster, deleted: record.deleted };
  if (record.status) item.status = record.status;
  if (record.version) item.version = record.version;
  if (record.deletedAt) item.deletedAt = record.deletedAt;
  if (record.committedScanAt) item.committedScanAt = record.committedScanAt;
  if (record.lastScanId) item.lastScanId = record.lastScanId;
  if (record.lastScanError) item.lastScanError = record.lastScanError;
  return item;
}

export class FindingStorePort implements PipelineStore {
  readonly #store: FindingStore;

  constructor(store: FindingStore) {
    this.#store = store;
  }

  async getInventory(clusterId: string): Promise<InventoryItem | undefined> {
    const record = await this.#store.getCluster(clusterId);
    return record ? inventoryOf(record) : undefined;
  }

  async listInventory(target: { accountId: string; region: string }): Promise<InventoryItem[]> {
    const records = await this.#store.clusters();
    return records.filter((r) => r.accountId === target.accountId && r.region === target.region).map(inventoryOf);
  }

  async upsertInventory(cluster: ClusterRef, info?: ClusterInfo): Promise<void> {
    await this.#store.upsertCluster(cluster, info);
  }

  async markDeleted(clusterId: string, at: string): Promise<void> {
    await this.#store.markClusterDeleted(clusterId, at);
  }

  async acquireLease(clusterId: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
    try {
      return await this.#store.acquireLease(clusterId, owner, ttlMs);
    } catch (error) {
      if (error instanceof LeaseHeldError) return undefined;
      throw error;
    }
  }

  async releaseLease(lease: Lease): Promise<void> {
    await this.#store.releaseLease(lease);
  }

  async recordScan(input: RecordScanInput): Promise<ReconcileOutcome> {
    const outcome = await this.#store.recordScan({
      lease: input.lease,
      cluster: input.cluster,
      ...(input.clusterInfo ? { clusterInfo: input.clusterInfo } : {}),
      findings: input.findings,
      coverage: input.coverage,
      scannedAt: input.scannedAt,
      startedAt: input.startedAt,
      scanId: input.scanId,
      ...(input.skippedRules ? { skippedRules: input.skippedRules } : {}),
    });
    const { reconciliation, summary } = outcome;
    return {
      opened: [...reconciliation.opened, ...reconciliation.reopened, ...reconciliation.unsuppressed],
      resolved: reconciliation.resolved,
      unchanged: summary.unchanged,
      suppressed: summary.suppressed,
      open: reconciliation.active.filter((f) => f.status === 'OPEN'),
    };
  }

  async recordScanFailure(input: { lease: Lease; cluster: ClusterRef; error: string; at: string; scanId: string }): Promise<void> {
    await this.#store.recordScanFailure(input);
  }

  /** A scan that sees nothing, with every kind of the open findings completely covered: all of them resolve,
   * through the same reconcile and history as any scan. Throws LeaseHeldError while a scan runs (retried). */
  async resolveAll(cluster: ClusterRef, at: string): Promise<Finding[]> {
    const open = await this.#store.findings(cluster.id, { status: 'open' });
    if (open.length === 0) return [];
    const coverage: Record<string, KindCoverage> = {};
    for (const finding of open) coverage[finding.resource.kind] = { complete: true, count: 0 };
    const lease = await this.#store.acquireLease(cluster.id, `cluster-deleted-${randomUUID()}`);
    const outcome = await this.#store.recordScan({ lease, cluster, findings: [], coverage, scannedAt: at, startedAt: at });
    return outcome.reconciliation.resolved;
  }
}

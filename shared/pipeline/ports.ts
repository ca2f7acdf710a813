// What the pipeline's use cases need from the world, as interfaces: functions/ plugs in AWS, tests plug in fakes.
import type { ClusterInfo, ClusterRef } from '../model/cluster.ts';
import type { Finding } from '../model/finding.ts';
import type { PeriscopeEvent, ScanRequest } from '../model/pipeline.ts';
import type { KindCoverage, Snapshot } from '../model/snapshot.ts';

/** Where a cluster lives: enough to call the EKS API for it (the adapter maps the account to a role). */
export interface ClusterLocation {
  name: string;
  arn: string;
  region: string;
  accountId: string;
}

export type ClusterStatus = 'ACTIVE' | 'CREATING' | 'DELETING' | 'FAILED' | 'PENDING' | 'UPDATING';

export interface ClusterState extends ClusterLocation {
  status: ClusterStatus | string;
  version?: string;
  endpoint?: string;
  endpointPublicAccess?: boolean;
}

/** One place clusters are listed: an account in a region, reached with `roleArn` when it is another account. */
export interface DiscoveryTarget {
  accountId: string;
  region: string;
  roleArn?: string;
}

/** The EKS API, as the pipeline uses it. */
export interface ClusterDirectory {
  /** DescribeCluster; `undefined` when the cluster does not exist (ResourceNotFoundException). */
  describe(cluster: ClusterLocation): Promise<ClusterState | undefined>;
  /** ListClusters in one account and region (every page). */
  list(target: DiscoveryTarget): Promise<ClusterLocation[]>;
}

/** Creates the scanner's own access entry (AmazonEKSAdminViewPolicy) on a cluster: the opt-in auto-enrol mode. */
export interface AccessEnroller {
  /** Idempotent: an existing entry is success. */
  enrol(cluster: ClusterLocation): Promise<void>;
}

/** Connect to a cluster and read it: EKS facts plus every kind the rules need. */
export interface SnapshotSource {
  snapshot(cluster: ClusterLocation, options: { skipSecrets: boolean }): Promise<Snapshot>;
}

/** What the inventory knows about a cluster. */
export interface InventoryItem {
  cluster: ClusterRef;
  status?: string;
  version?: string;
  deleted: boolean;
  deletedAt?: string;
  /** Snapshot time of the last scan whose findings were recorded: a request made before it is answered. */
  committedScanAt?: string;
  lastScanId?: string;
  lastScanError?: string;
}

/** A cluster's scan lease: while it is live no other scan of the cluster runs. */
export interface Lease {
  clusterId: string;
  owner: string;
  expiresAt: string;
}

export interface ReconcileOutcome {
  /** New, reopened and unsuppressed findings: each alerts like a new one. */
  opened: Finding[];
  resolved: Finding[];
  unchanged: number;
  suppressed: number;
  /** Every OPEN finding after this scan (for counts by severity). */
  open: Finding[];
}

export interface RecordScanInput {
  lease: Lease;
  cluster: ClusterRef;
  clusterInfo?: ClusterInfo;
  findings: readonly Finding[];
  coverage: Record<string, KindCoverage>;
  /** The snapshot's time. */
  scannedAt: string;
  startedAt: string;
  scanId: string;
  skippedRules?: readonly { ruleId: string; reason: string }[];
}

/** The subset of the finding store the pipeline writes through. */
export interface PipelineStore {
  getInventory(clusterId: string): Promise<InventoryItem | undefined>;
  /** Clusters the inventory knows in one account and region (deleted ones included, flagged). */
  listInventory(target: { accountId: string; region: string }): Promise<InventoryItem[]>;
  /** Creates or refreshes the inventory item; scan state and lease are left alone. */
  upsertInventory(cluster: ClusterRef, info?: ClusterInfo): Promise<void>;
  markDeleted(clusterId: string, at: string): Promise<void>;
  /** Takes the cluster's lease for `ttlMs`; undefined while another scan holds a live one. */
  acquireLease(clusterId: string, owner: string, ttlMs: number): Promise<Lease | undefined>;
  releaseLease(lease: Lease): Promise<void>;
  /** Reconciles the scan's findings with the stored ones (a partial kind resolves nothing), records the scan
   * and gives the lease back. */
  recordScan(input: RecordScanInput): Promise<ReconcileOutcome>;
  /** Records a scan that could not complete on the inventory and in history, and gives the lease back. */
  recordScanFailure(input: { lease: Lease; cluster: ClusterRef; error: string; at: string; scanId: string }): Promise<void>;
  /** Resolves every OPEN finding of the cluster; returns them. */
  resolveAll(cluster: ClusterRef, at: string): Promise<Finding[]>;
}

export interface ScanQueue {
  /** Send with an optional delay (SQS caps it at 900 s). */
  send(request: ScanRequest, delaySeconds?: number): Promise<void>;
  sendBatch(requests: ScanRequest[]): Promise<void>;
}

export interface EventPublisher {
  publish(events: PeriscopeEvent[]): Promise<void>;
}

// The store's one contract, free of any SDK: FindingStore implements it over DynamoDB (the Lambdas' table and the
// CLI's embedded dynalite). The pipeline's use cases each take the `Pick<StorePort, ...>` they use, so tests hand
// them small fakes.
import type { ClusterInfo, ClusterRef } from '../model/cluster.ts';
import type { FleetReads } from '../model/fleet.ts';
import type { Finding, Severity } from '../model/finding.ts';
import type { KindCoverage } from '../model/snapshot.ts';
import type { StoreItemError } from './errors.ts';
import type { Reconciliation } from './reconcile.ts';
import type { ClusterCounts, ClusterRecord, ScanRecord, ScanResult, ScanSummary, StoredFinding, TicketRecord } from './records.ts';

/** A cluster's scan lease: while it is live no other scan of the cluster runs. */
export interface Lease {
  clusterId: string;
  owner: string;
  expiresAt: string;
  /** The previous holder whose lease had expired, when this one took it over. */
  takenOverFrom?: string;
}

export interface RecordScanInput {
  lease: Lease;
  cluster: ClusterRef;
  clusterInfo?: ClusterInfo;
  /** Every finding the engine produced (OPEN and SUPPRESSED). */
  findings: readonly Finding[];
  coverage: Readonly<Record<string, KindCoverage>>;
  /** The snapshot's `takenAt`. */
  scannedAt: string;
  startedAt?: string;
  scanId?: string;
  timings?: Record<string, number>;
  skippedRules?: readonly { ruleId: string; reason: string }[];
  /** The scan saw the cluster exist then (it described it): the inventory's `seenAt` is set and a `deletedAt`
   * cleared in the same write, as upsertCluster would. */
  seenAt?: string;
}

export interface ScanFailureInput {
  lease: Lease;
  cluster: ClusterRef;
  clusterInfo?: ClusterInfo;
  error: string;
  at: string;
  scanId?: string;
  /** As RecordScanInput's. */
  seenAt?: string;
}

export interface ScanOutcome {
  scanId: string;
  result: ScanResult;
  reconciliation: Reconciliation;
  summary: ScanSummary;
  counts: ClusterCounts;
  /** Stored items that could not be read and were skipped. */
  itemErrors: StoreItemError[];
  /** Write requests recording this scan made (finding batches, scan record, cluster item; not the lease). */
  writeRequests: number;
}

export interface ClusterFindings {
  cluster: ClusterRecord | undefined;
  findings: StoredFinding[];
  errors: StoreItemError[];
}

export type TicketClaim = { claimed: true; ticket: TicketRecord } | { claimed: false; ticket: TicketRecord };

export type TicketChanges = Partial<Pick<TicketRecord, 'issueKey' | 'issueUrl' | 'state' | 'fingerprints'>>;

/** The fleet reads (FleetReads: inventory, findings query, open tally) are part of it, every one a Query. */
export interface StorePort extends FleetReads {
  /** Takes the cluster's scan lease (an expired one is taken over); throws LeaseHeldError while another scan holds a
   * live one. */
  acquireLease(clusterId: string, owner?: string, leaseMs?: number): Promise<Lease>;
  /** As acquireLease, but `undefined` while another scan holds a live lease. */
  tryAcquireLease(clusterId: string, owner?: string, leaseMs?: number): Promise<Lease | undefined>;
  releaseLease(lease: Lease): Promise<void>;
  /** Reconciles the scan's findings with the stored ones (a partial kind resolves nothing), records the scan and
   * gives the lease back. */
  recordScan(input: RecordScanInput): Promise<ScanOutcome>;
  /** Records a scan that could not complete in history and on the cluster item, and gives the lease back. */
  recordScanFailure(input: ScanFailureInput): Promise<void>;
  /** Resolves every OPEN finding of the cluster (it was deleted) through the same reconcile and history as any scan;
   * returns them. Throws LeaseHeldError while a scan runs. */
  resolveAllFindings(cluster: ClusterRef, at: string): Promise<StoredFinding[]>;
  loadCluster(clusterId: string): Promise<ClusterFindings>;
  findings(clusterId: string, options?: { status?: 'all' | 'open' }): Promise<StoredFinding[]>;
  openFindingsOfRule(ruleId: string): Promise<StoredFinding[]>;
  openFindingsAtLeast(threshold: Severity): Promise<StoredFinding[]>;
  /** Creates or refreshes the cluster's inventory item; its scan state and lease are left alone. */
  upsertCluster(cluster: ClusterRef, info?: ClusterInfo): Promise<void>;
  markClusterDeleted(clusterId: string, at?: string): Promise<void>;
  getCluster(clusterId: string): Promise<ClusterRecord | undefined>;
  /** Every cluster the inventory knows (deleted ones included, flagged). */
  clusters(): Promise<ClusterRecord[]>;
  scans(clusterId: string, options?: { limit?: number }): Promise<ScanRecord[]>;
  getTicket(clusterId: string, ruleId: string): Promise<TicketRecord | undefined>;
  tickets(clusterId: string): Promise<TicketRecord[]>;
  claimTicket(clusterId: string, ruleId: string, claimant: string): Promise<TicketClaim>;
  updateTicket(clusterId: string, ruleId: string, changes: TicketChanges, expectedVersion: number): Promise<TicketRecord>;
  releaseTicketClaim(clusterId: string, ruleId: string, claimant: string): Promise<boolean>;
}

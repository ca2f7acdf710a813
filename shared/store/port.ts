// What the pipeline needs from the findings store, free of any SDK: FindingStore implements it over DynamoDB,
// and tests or other stores can stand in for it.
import type { ClusterInfo, ClusterRef } from '../model/cluster.ts';
import type { Finding, Severity } from '../model/finding.ts';
import type { KindCoverage } from '../model/snapshot.ts';
import type { StoreItemError } from './errors.ts';
import type { Reconciliation } from './reconcile.ts';
import type { ClusterCounts, ClusterRecord, ScanRecord, ScanResult, ScanSummary, StoredFinding, TicketRecord } from './records.ts';

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

export interface FindingStorePort {
  acquireLease(clusterId: string, owner?: string, leaseMs?: number): Promise<Lease>;
  releaseLease(lease: Lease): Promise<void>;
  recordScan(input: RecordScanInput): Promise<ScanOutcome>;
  recordScanFailure(input: { lease: Lease; cluster: ClusterRef; clusterInfo?: ClusterInfo; error: string; at: string; scanId?: string }): Promise<void>;
  loadCluster(clusterId: string): Promise<ClusterFindings>;
  findings(clusterId: string, options?: { status?: 'all' | 'open' }): Promise<StoredFinding[]>;
  openFindingsOfRule(ruleId: string): Promise<StoredFinding[]>;
  openFindingsAtLeast(threshold: Severity): Promise<StoredFinding[]>;
  upsertCluster(cluster: ClusterRef, info?: ClusterInfo): Promise<void>;
  markClusterDeleted(clusterId: string, at?: string): Promise<void>;
  getCluster(clusterId: string): Promise<ClusterRecord | undefined>;
  clusters(): Promise<ClusterRecord[]>;
  scans(clusterId: string, options?: { limit?: number }): Promise<ScanRecord[]>;
  getTicket(clusterId: string, ruleId: string): Promise<TicketRecord | undefined>;
  tickets(clusterId: string): Promise<TicketRecord[]>;
  claimTicket(clusterId: string, ruleId: string, claimant: string): Promise<TicketClaim>;
  updateTicket(clusterId: string, ruleId: string, changes: TicketChanges, expectedVersion: number): Promise<TicketRecord>;
  releaseTicketClaim(clusterId: string, ruleId: string, claimant: string): Promise<boolean>;
}

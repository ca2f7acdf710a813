// What the store keeps: stored findings with their lifecycle, the cluster item, scan records, tickets; and their keys.
import * as z from 'zod';
import { findingSchema, severities, type Finding, type Severity } from '../model/finding.ts';
import { severityIndexShards } from './table.ts';

export const transitions = ['opened', 'reopened', 'changed', 'resolved', 'suppressed', 'unsuppressed'] as const;
/** The last thing that happened to a finding. */
export type Transition = (typeof transitions)[number];

export const storedFindingSchema = findingSchema.extend({
  /** How many times the finding came back after being resolved. */
  reopenCount: z.number().int().nonnegative().default(0),
  lastChange: z.enum(transitions).optional(),
  /** Scan time of `lastChange`. A change newer than the cluster's last committed scan was never announced. */
  changedAt: z.string().optional(),
});
export type StoredFinding = z.infer<typeof storedFindingSchema>;

export const metaSK = 'META';
export const findingPrefix = 'FINDING#';
export const scanPrefix = 'SCAN#';
export const ticketPrefix = 'TICKET#';
export const outboxPrefix = 'OUTBOX#';
export const inventoryPartition = 'CLUSTER';

export const clusterPK = (clusterId: string): string => `CLUSTER#${clusterId}`;
export const findingSK = (fingerprint: string): string => `${findingPrefix}${fingerprint}`;
export const scanSK = (scannedAt: string, scanId: string): string => `${scanPrefix}${scanAt(scannedAt)}#${scanId}`;
export const ticketSK = (ruleId: string): string => `${ticketPrefix}${ruleId}`;
export const outboxSK = (scanId: string, part: number): string => `${outboxPrefix}${scanId}#${part}`;
export const ruleIndexKey = (ruleId: string): string => `RULE#${ruleId}`;
/** The open-by-severity key of a finding: its severity and its shard (from the fingerprint, which is hex). */
export const severityIndexKey = (severity: Severity, fingerprint: string): string =>
  `SEVERITY#${severity}#${Number.parseInt(fingerprint.slice(0, 4), 16) % severityIndexShards || 0}`; // not hex: shard 0
/** Every key one severity's open findings are under: each shard, and the unsharded key that items written before
 * the index was sharded still carry (unchanged findings are never rewritten). */
export const severityIndexKeys = (severity: Severity): string[] => [
  `SEVERITY#${severity}`,
  ...Array.from({ length: severityIndexShards }, (_, shard) => `SEVERITY#${severity}#${shard}`),
];

/** ISO times sort as strings only in one shape; normalise what callers give. */
function scanAt(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString();
}

/** Scan records expire 90 days after the scan (DynamoDB TTL, epoch seconds). */
export const scanRetentionDays = 90;

export interface ClusterCounts {
  /** Open findings by severity. */
  open: Record<Severity, number>;
  suppressed: number;
}

function emptyCounts(): ClusterCounts {
  return { open: Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>, suppressed: 0 };
}

export function countsOf(findings: readonly Pick<Finding, 'status' | 'severity'>[]): ClusterCounts {
  const counts = emptyCounts();
  for (const finding of findings) {
    if (finding.status === 'OPEN') counts.open[finding.severity] += 1;
    else if (finding.status === 'SUPPRESSED') counts.suppressed += 1;
  }
  return counts;
}

export type ScanResult = 'succeeded' | 'partial' | 'failed';

export interface KindCoverageRecord {
  complete: boolean;
  count: number;
  error?: string;
}

/** The cluster's inventory item (`SK=META`), which also holds the scan lease. */
export interface ClusterRecord {
  clusterId: string;
  name: string;
  source?: string;
  arn?: string;
  accountId?: string;
  region?: string;
  version?: string;
  status?: string;
  endpointPublicAccess?: boolean;
  endpointPrivateAccess?: boolean;
  publicAccessCidrs?: string[];
  deleted: boolean;
  deletedAt?: string;
  lastScanAt?: string;
  lastScanId?: string;
  lastScanResult?: ScanResult;
  lastScanError?: string;
  /** Time of the last scan whose findings were reconciled and recorded; later stored changes are unannounced. */
  committedScanAt?: string;
  /** Last time the cluster was seen to exist: by a scan (in its cluster-item write), or by discovery when what it
   * knows of the cluster changed (discovery does not rewrite an unchanged item). */
  seenAt?: string;
  counts?: ClusterCounts;
  coverage?: Record<string, KindCoverageRecord>;
  /** Kind → time of the last scan that listed that kind completely: open findings of it were seen then. */
  seenThrough?: Record<string, string>;
  leaseOwner?: string;
  leaseExpiresAt?: string;
  /** The outbox: a recorded scan whose events are not all published yet (set in the scan's commit, cleared once
   * they are sent). Its events are in the scan record, and in `OUTBOX#` items when they do not fit there. */
  outbox?: OutboxPointer;
}

export interface OutboxPointer {
  scanId: string;
  /** The scan record's sort key. */
  scanSK: string;
  /** Parts beyond the one in the scan record (`OUTBOX#<scanId>#<n>`, n = 1..parts). */
  parts: number;
}

export interface ScanSummary {
  opened: number;
  reopened: number;
  unsuppressed: number;
  changed: number;
  resolved: number;
  /** Findings that became suppressed in this scan. */
  newlySuppressed: number;
  /** Open findings already known (changed or not). */
  unchanged: number;
  /** Every suppressed finding of the cluster after this scan. */
  suppressed: number;
  /** Open findings that were not seen but kept, because their kind was not completely listed. */
  notCovered: number;
}

/** One scan of one cluster (`SK=SCAN#<iso>#<scanId>`), kept 90 days. */
export interface ScanRecord {
  clusterId: string;
  scanId: string;
  scannedAt: string;
  startedAt?: string;
  finishedAt: string;
  result: ScanResult;
  /** Why a failed scan failed. */
  error?: string;
  summary: ScanSummary;
  counts: ClusterCounts;
  coverage: Record<string, KindCoverageRecord>;
  /** Phase → milliseconds (connect, snapshot, evaluate, reconcile...). */
  timings: Record<string, number>;
  /** Fingerprints, capped; the scan's full change list is in the findings' `changedAt`. */
  opened: string[];
  resolved: string[];
  skippedRules?: { ruleId: string; reason: string }[];
  /** The scan's events as a JSON array (the outbox's first part), kept until the record expires. */
  outbox?: string;
  expiresAt: number;
}

/** The Jira ticket of one rule on one cluster (`SK=TICKET#<ruleId>`). */
export interface TicketRecord {
  clusterId: string;
  ruleId: string;
  /** Who claimed it first (the sync run), so concurrent syncs create one ticket. */
  claimedBy: string;
  claimedAt: string;
  issueKey?: string;
  issueUrl?: string;
  state?: string;
  /** Fingerprints already listed on the ticket. */
  fingerprints?: string[];
  /** Incremented by every update; updates are conditional on it. */
  version: number;
  updatedAt: string;
}

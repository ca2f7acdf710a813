// scan: one ScanRequest → DescribeCluster → (wait for ACTIVE) → lease → snapshot → evaluate → reconcile → publish.
import { randomUUID } from 'node:crypto';
import type { ClusterInfo } from '../model/cluster.ts';
import type { Finding } from '../model/finding.ts';
import type { PeriscopeEvent, ScanRequest } from '../model/pipeline.ts';
import type { Snapshot } from '../model/snapshot.ts';
import type { AuditStreamPort, Lease, ScanOutcome, StorePort } from '../store/port.ts';
import { EventsPendingError } from '../store/errors.ts';
import { alertsOf } from '../store/reconcile.ts';
import type { ClusterRecord } from '../store/records.ts';
import { clusterRefOf, handleClusterDeleted } from './cluster-deleted.ts';
import { parseClusterArn } from '../eks/cluster-arn.ts';
import { scanEvents } from './events.ts';
import type { Clock, Logger, Metrics } from '../model/cross-cutting.ts';
import type { EventPublisher, ScanQueue, SnapshotSource } from './ports.ts';
import { withCauses } from './audit-causes.ts';
import type { AccessEnroller, ClusterDirectory, ClusterLocation, ClusterState } from '../eks/port.ts';

export interface ScanSettings {
  /** How long a cluster may stay CREATING/UPDATING before the request fails (default 45 min). */
  maxWaitSeconds: number;
  /** First re-enqueue delay; doubles per attempt, capped at SQS's 900 s (default 60 s). */
  pollDelaySeconds: number;
  /** A crashed scan's lease expires after this (default 15 min, the Lambda maximum). */
  leaseTtlMs: number;
  /** Strict mode: secrets are not listed at all. */
  skipSecrets: boolean;
  /** Opt-in: create the scanner's own access entry before the first scan of a cluster. */
  autoEnrol: boolean;
}

export const defaultScanSettings: ScanSettings = {
  maxWaitSeconds: 45 * 60,
  pollDelaySeconds: 60,
  leaseTtlMs: 15 * 60 * 1000,
  skipSecrets: false,
  autoEnrol: false,
};

export interface ScanDeps {
  directory: ClusterDirectory;
  source: SnapshotSource;
  evaluate: (snapshot: Snapshot) => { findings: Finding[]; skipped?: { ruleId: string; reason: string }[] };
  store: Pick<
    StorePort,
    | 'getCluster'
    | 'upsertCluster'
    | 'tryAcquireLease'
    | 'releaseLease'
    | 'recordScan'
    | 'recordScanFailure'
    | 'resolveAllFindings'
    | 'markClusterDeleted'
    | 'pendingEvents'
    | 'markEventsPublished'
  >;
  queue: ScanQueue;
  publisher: EventPublisher;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  enroller?: AccessEnroller;
  newScanId?: () => string;
  /** The live change stream's causes by object: findings this scan opens carry theirs. */
  causes?: Pick<AuditStreamPort, 'causes'>;
}

export type ScanClusterResult =
  | { outcome: 'scanned'; scanId: string; opened: number; resolved: number; open: number }
  | { outcome: 'requeued'; status: string; delaySeconds: number; attempt: number }
  | { outcome: 'duplicate'; reason: string }
  | { outcome: 'cluster-gone'; resolved: number }
  | { outcome: 'not-scannable'; status: string };

/** A scan that could not complete; SQS retries the request and then moves it to the DLQ. */
export class ScanFailedError extends Error {
  readonly clusterArn: string;
  constructor(clusterArn: string, message: string, options?: { cause?: unknown }) {
    super(`scan of ${clusterArn} failed: ${message}`, options);
    this.name = 'ScanFailedError';
    this.clusterArn = clusterArn;
  }
}

const maxSqsDelaySeconds = 900;
const notBeforeToleranceMs = 30_000;
const waitingStatuses = new Set(['CREATING', 'UPDATING', 'PENDING']);

function locationOf(request: ScanRequest): ClusterLocation {
  const parsed = parseClusterArn(request.clusterArn);
  if (!parsed) throw new ScanFailedError(request.clusterArn, 'the request does not name an EKS cluster ARN');
  return parsed;
}

/** A scan whose snapshot was taken after the request was made, and recorded, already answers it. */
function answeredBy(record: ClusterRecord | undefined, request: ScanRequest): boolean {
  return record?.committedScanAt !== undefined && record.committedScanAt >= request.requestedAt;
}

function duplicateOf(record: ClusterRecord | undefined, republished = 0): ScanClusterResult {
  const published = republished > 0 ? `; its ${republished} pending event(s) were published now` : '';
  return { outcome: 'duplicate', reason: `scan ${record?.lastScanId ?? ''} took its snapshot after the request${published}` };
}

/** Publishes the outbox (the events of a recorded scan not yet marked published) and marks it; the events carry
 * their first publish's ids, so a consumer that saw some of them drops those. Answers how many were published. */
async function publishPending(clusterArn: string, deps: ScanDeps, log: Record<string, unknown>): Promise<number> {
  const pending = await deps.store.pendingEvents(clusterArn);
  if (!pending) return 0;
  try {
    await deps.publisher.publish(pending.events as PeriscopeEvent[]);
  } catch (error) {
    deps.metrics.count('ScanErrors');
    deps.logger.error('pending events of a recorded scan not published', { ...log, scanId: pending.scanId, error: errorMessage(error) });
    throw new ScanFailedError(clusterArn, `events of scan ${pending.scanId} not published (kept for the retry): ${errorMessage(error)}`, { cause: error });
  }
  await deps.store.markEventsPublished(clusterArn, pending.scanId);
  deps.metrics.count('EventsRepublished', pending.events.length);
  deps.logger.info('pending events of a recorded scan published', { ...log, scanId: pending.scanId, events: pending.events.length });
  return pending.events.length;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the inventory keeps of a DescribeCluster answer alone. */
function describedInfoOf(state: ClusterState): ClusterInfo {
  const info: ClusterInfo = { name: state.name, arn: state.arn, status: state.status };
  if (state.version) info.version = state.version;
  if (state.endpointPublicAccess !== undefined) info.endpointPublicAccess = state.endpointPublicAccess;
  return info;
}

export async function scanCluster(
  request: ScanRequest,
  deps: ScanDeps,
  settings: ScanSettings = defaultScanSettings,
): Promise<ScanClusterResult> {
  const location = locationOf(request);
  const log = { clusterArn: location.arn, attempt: request.attempt, trigger: request.trigger };
  const known = await deps.store.getCluster(location.arn);
  // The outbox first: a recorded scan whose publish failed is announced now, before anything newer.
  const republished = known?.outbox ? await publishPending(location.arn, deps, log) : 0;
  if (answeredBy(known, request)) {
    deps.logger.info('request already answered by a later scan', { ...log, lastScanId: known?.lastScanId, republished });
    deps.metrics.count('DuplicateRequests');
    return duplicateOf(known, republished);
  }

  const now = deps.clock.now();
  // SQS delays deliver on time give or take a few seconds; only a request that is clearly early waits again.
  if (request.notBefore && Date.parse(request.notBefore) - now.getTime() > notBeforeToleranceMs) {
    const delaySeconds = Math.min(maxSqsDelaySeconds, Math.ceil((Date.parse(request.notBefore) - now.getTime()) / 1000));
    await deps.queue.send(request, delaySeconds);
    return { outcome: 'requeued', status: 'not-before', delaySeconds, attempt: request.attempt };
  }

  const state = await deps.directory.describe(location);
  if (!state) {
    const { resolved } = await handleClusterDeleted(location, now.toISOString(), deps);
    return { outcome: 'cluster-gone', resolved };
  }
  if (waitingStatuses.has(state.status)) return requeueUntilActive(request, state, deps, settings);
  if (state.status !== 'ACTIVE') {
    // DELETING (the DeleteCluster event finishes the job) or FAILED: nothing to connect to.
    await deps.store.upsertCluster(clusterRefOf(location), describedInfoOf(state));
    deps.logger.warn('cluster is not scannable', { ...log, status: state.status });
    return { outcome: 'not-scannable', status: state.status };
  }
  return scanUnderLease({ request, location, state, known, startedAt: now.toISOString(), log }, deps, settings);
}

/** What one scan of an ACTIVE cluster knows before it takes the lease. */
interface ScanStart {
  request: ScanRequest;
  location: ClusterLocation;
  state: ClusterState;
  /** The cluster item before the lease was taken. */
  known: ClusterRecord | undefined;
  startedAt: string;
  log: Record<string, unknown>;
}

/** Lease → snapshot → evaluate → record (events published between the scan record and the commit). */
async function scanUnderLease(start: ScanStart, deps: ScanDeps, settings: ScanSettings): Promise<ScanClusterResult> {
  const { request, location } = start;
  const scanId = (deps.newScanId ?? randomUUID)();
  const lease = await deps.store.tryAcquireLease(location.arn, scanId, settings.leaseTtlMs);
  if (!lease) return leaseHeld(request, deps, start.log);
  // Checked again under the lease: a scan that committed since the first check answers this request.
  const current = await deps.store.getCluster(location.arn);
  if (answeredBy(current, request)) {
    await deps.store.releaseLease(lease);
    deps.metrics.count('DuplicateRequests');
    return duplicateOf(current);
  }
  const log = { ...start.log, scanId };
  try {
    const outcome = await snapshotAndRecord(start, { lease, scanId, baseline: current?.committedScanAt === undefined }, deps, settings);
    return completed(outcome, deps, log);
  } catch (error) {
    if (error instanceof EventsPendingError) {
      // The scan and its events are stored (the outbox); only publishing failed. The retry of this request finds
      // the outbox and publishes it before it sees the request answered.
      deps.metrics.count('ScanErrors');
      deps.logger.error('scan recorded but its events were not published; they are kept for the retry', { ...log, error: errorMessage(error.cause) });
      throw new ScanFailedError(location.arn, `events not published (kept for the retry): ${errorMessage(error.cause)}`, { cause: error });
    }
    return await scanFailed(lease, start, error, deps, log);
  }
}

/** What the inventory keeps of a scanned cluster: the description the scan started from, with what the snapshot
 * learnt of the cluster on top (a part the snapshot lacks keeps the description's). */
function inventoryInfoOf(state: ClusterState, learnt: ClusterInfo | undefined): ClusterInfo {
  const info = describedInfoOf(state);
  if (!learnt) return info;
  const known = Object.entries(learnt).filter(([, value]) => value !== undefined);
  return { ...info, ...(Object.fromEntries(known) as Partial<ClusterInfo>) };
}

/** Under the lease: the opt-in access entry, the snapshot, the rules, and the store's reconcile, whose one
 * cluster-item write also refreshes the inventory (so an unchanged rescan writes the scan record and that item). */
async function snapshotAndRecord(
  start: ScanStart,
  { lease, scanId, baseline }: { lease: Lease; scanId: string; baseline: boolean },
  deps: ScanDeps,
  settings: ScanSettings,
): Promise<ScanOutcome> {
  const { location } = start;
  const cluster = clusterRefOf(location);
  if (settings.autoEnrol && deps.enroller && start.known?.committedScanAt === undefined) {
    await deps.enroller.enrol(location);
    deps.logger.info('scanner access entry ensured (auto-enrol)', start.log);
  }
  const snapshot = await deps.source.snapshot(start.state, { skipSecrets: settings.skipSecrets });
  const { findings: evaluated, skipped } = deps.evaluate(snapshot);
  const findings = await withStoredCauses(evaluated, start, deps);
  const outbox = (recorded: Pick<ScanOutcome, 'scanId' | 'reconciliation' | 'summary' | 'counts'>): PeriscopeEvent[] => {
    const completedAt = deps.clock.now().toISOString();
    return scanEvents({ cluster, scanId, startedAt: start.startedAt, completedAt, outcome: recorded, coverage: snapshot.coverage, baseline });
  };
  return await deps.store.recordScan({
    lease,
    cluster,
    clusterInfo: inventoryInfoOf(start.state, snapshot.clusterInfo),
    seenAt: start.startedAt,
    findings,
    coverage: snapshot.coverage,
    scannedAt: snapshot.takenAt,
    startedAt: start.startedAt,
    scanId,
    ...(skipped ? { skippedRules: skipped } : {}),
    outbox,
    publish: (events) => deps.publisher.publish(events as PeriscopeEvent[]),
  });
}

/** The findings with the causes the audit stream kept for their objects; without them when those cannot be read
 * (a cause is an annotation: its absence never fails a scan). */
async function withStoredCauses(findings: Finding[], start: ScanStart, deps: ScanDeps): Promise<Finding[]> {
  if (!deps.causes) return findings;
  try {
    return withCauses(findings, await deps.causes.causes(start.location.arn), start.known?.committedScanAt);
  } catch (error) {
    deps.logger.warn('audit causes not read; findings open without them', { ...start.log, error: errorMessage(error) });
    deps.metrics.count('AuditCausesUnavailable');
    return findings;
  }
}

/** The recorded and published scan's metrics and log line. */
function completed(outcome: ScanOutcome, deps: ScanDeps, log: Record<string, unknown> & { scanId: string }): ScanClusterResult {
  const { scanId } = log;
  const { opened, resolved } = alertsOf(outcome.reconciliation);
  const open = outcome.reconciliation.active.filter((f) => f.status === 'OPEN').length;
  deps.metrics.count('ScansCompleted');
  deps.metrics.count('FindingsOpened', opened.length);
  deps.metrics.count('FindingsResolved', resolved.length);
  deps.logger.info('scan completed', { ...log, open, opened: opened.length, resolved: resolved.length });
  return { outcome: 'scanned', scanId, opened: opened.length, resolved: resolved.length, open };
}

async function requeueUntilActive(
  request: ScanRequest,
  state: ClusterState,
  deps: ScanDeps,
  settings: ScanSettings,
): Promise<ScanClusterResult> {
  const now = deps.clock.now();
  const waited = (now.getTime() - Date.parse(request.requestedAt)) / 1000;
  const delaySeconds = Math.min(maxSqsDelaySeconds, settings.pollDelaySeconds * 2 ** request.attempt);
  if (waited + delaySeconds > settings.maxWaitSeconds) {
    const message =
      `cluster still ${state.status} after ${Math.round(waited / 60)} min (limit ${Math.round(settings.maxWaitSeconds / 60)} min); ` +
      'check it in the EKS console, the next scheduled discovery will try again';
    const scanId = (deps.newScanId ?? randomUUID)();
    const lease = await deps.store.tryAcquireLease(state.arn, scanId, settings.leaseTtlMs);
    if (lease) {
      await deps.store.recordScanFailure({ lease, cluster: clusterRefOf(state), error: message, at: now.toISOString(), scanId });
    }
    deps.metrics.count('ScanErrors');
    throw new ScanFailedError(state.arn, message);
  }
  const next: ScanRequest = {
    ...request,
    attempt: request.attempt + 1,
    notBefore: new Date(now.getTime() + delaySeconds * 1000).toISOString(),
  };
  await deps.queue.send(next, delaySeconds);
  deps.logger.info('cluster not ACTIVE yet, request re-enqueued', {
    clusterArn: state.arn,
    status: state.status,
    delaySeconds,
    attempt: next.attempt,
  });
  deps.metrics.count('ScansDeferred');
  return { outcome: 'requeued', status: state.status, delaySeconds, attempt: next.attempt };
}

/** Another scan holds the lease: try again after it; if its snapshot answers this request, that retry is a no-op. */
async function leaseHeld(request: ScanRequest, deps: ScanDeps, log: Record<string, unknown>): Promise<ScanClusterResult> {
  const delaySeconds = 60;
  await deps.queue.send({ ...request, attempt: request.attempt + 1 }, delaySeconds);
  deps.logger.info('another scan holds the lease, request re-enqueued', { ...log, delaySeconds });
  deps.metrics.count('LeaseHeld');
  return { outcome: 'requeued', status: 'lease-held', delaySeconds, attempt: request.attempt + 1 };
}

/** A cluster deleted while it was scanned ends cleanly; any other failure is recorded and rethrown. */
async function scanFailed(
  lease: Lease,
  { location, state, startedAt }: ScanStart,
  error: unknown,
  deps: ScanDeps,
  log: Record<string, unknown> & { scanId: string },
): Promise<ScanClusterResult> {
  const at = deps.clock.now().toISOString();
  const still = await deps.directory.describe(location).catch(() => ({ status: 'UNKNOWN' }) as const);
  if (!still || still.status === 'DELETING') {
    await deps.store.releaseLease(lease);
    const { resolved } = await handleClusterDeleted(location, at, deps);
    deps.logger.info('cluster deleted during the scan', { ...log, error: errorMessage(error) });
    return { outcome: 'cluster-gone', resolved };
  }
  const message = errorMessage(error);
  try {
    await deps.store.recordScanFailure({
      lease,
      cluster: clusterRefOf(location),
      clusterInfo: describedInfoOf(state),
      seenAt: startedAt,
      error: message,
      at,
      scanId: log.scanId,
    });
  } catch (recordError) {
    deps.logger.error('could not record the scan failure; the lease expires on its own', { ...log, error: errorMessage(recordError) });
  }
  deps.metrics.count('ScanErrors');
  deps.logger.error('scan failed', { ...log, error: message });
  throw new ScanFailedError(location.arn, message, { cause: error });
}

// In-memory stand-ins for the pipeline's ports: enough behaviour to test the use cases without AWS.
import type { ClusterInfo, ClusterRef } from '../../shared/model/cluster.ts';
import type { PeriscopeEvent, ScanRequest } from '../../shared/model/pipeline.ts';
import type { KindCoverage, Snapshot } from '../../shared/model/snapshot.ts';
import type { ClusterEventDeps } from '../../shared/pipeline/cluster-events.ts';
import type { DiscoverDeps } from '../../shared/pipeline/discover.ts';
import type { LogAttributes, Logger, Metrics } from '../../shared/model/cross-cutting.ts';
import type { ClusterDirectory, ClusterLocation, ClusterState, DiscoveryTarget } from '../../shared/eks/port.ts';
import type { ScanDeps } from '../../shared/pipeline/scan-cluster.ts';
import type { Lease, PendingEvents, RecordScanInput, ScanFailureInput, ScanOutcome } from '../../shared/store/port.ts';
import { EventsPendingError } from '../../shared/store/errors.ts';
import { reconcile, summarize } from '../../shared/store/reconcile.ts';
import { countsOf, type ClusterRecord, type StoredFinding } from '../../shared/store/records.ts';

export class FakeClock {
  current: Date;
  constructor(iso = '2026-11-23T10:00:00.000Z') {
    this.current = new Date(iso);
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

export class FakeDirectory implements ClusterDirectory {
  readonly clusters = new Map<string, ClusterState>();
  readonly failingTargets = new Set<string>();
  describes = 0;

  put(state: ClusterState): void {
    this.clusters.set(state.arn, state);
  }
  async describe(cluster: ClusterLocation): Promise<ClusterState | undefined> {
    this.describes += 1;
    const state = this.clusters.get(cluster.arn);
    return state ? { ...state } : undefined;
  }
  async list(target: DiscoveryTarget): Promise<ClusterLocation[]> {
    if (this.failingTargets.has(`${target.accountId}/${target.region}`)) {
      throw new Error(`AccessDenied: not authorized to perform sts:AssumeRole on ${target.roleArn ?? 'the role'}`);
    }
    return [...this.clusters.values()]
      .filter((c) => c.accountId === target.accountId && c.region === target.region)
      .map(({ name, arn, region, accountId }) => ({ name, arn, region, accountId }));
  }
}

export class FakeQueue {
  readonly sent: { request: ScanRequest; delaySeconds?: number }[] = [];
  async send(request: ScanRequest, delaySeconds?: number): Promise<void> {
    this.sent.push(delaySeconds === undefined ? { request } : { request, delaySeconds });
  }
  async sendBatch(requests: ScanRequest[]): Promise<void> {
    for (const request of requests) this.sent.push({ request });
  }
  take(): { request: ScanRequest; delaySeconds?: number } | undefined {
    return this.sent.shift();
  }
}

export class CapturedPublisher {
  readonly events: PeriscopeEvent[] = [];
  async publish(events: PeriscopeEvent[]): Promise<void> {
    this.events.push(...events);
  }
  ofType(detailType: string): PeriscopeEvent[] {
    return this.events.filter((e) => e.detailType === detailType);
  }
}

export class RecordingLogger implements Logger {
  readonly lines: { level: string; message: string; attributes?: LogAttributes }[] = [];
  debug(message: string, attributes?: LogAttributes): void {
    this.lines.push({ level: 'debug', message, ...(attributes ? { attributes } : {}) });
  }
  info(message: string, attributes?: LogAttributes): void {
    this.lines.push({ level: 'info', message, ...(attributes ? { attributes } : {}) });
  }
  warn(message: string, attributes?: LogAttributes): void {
    this.lines.push({ level: 'warn', message, ...(attributes ? { attributes } : {}) });
  }
  error(message: string, attributes?: LogAttributes): void {
    this.lines.push({ level: 'error', message, ...(attributes ? { attributes } : {}) });
  }
}

export class CountingMetrics implements Metrics {
  readonly counts = new Map<string, number>();
  count(name: string, value = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + value);
  }
}

/** The inventory fields of a cluster description the fake keeps, as the real store's update leaves absent ones. */
function withInfo(record: ClusterRecord, info: ClusterInfo | undefined): ClusterRecord {
  const out = { ...record };
  if (info?.status) out.status = info.status;
  if (info?.version) out.version = info.version;
  return out;
}

function withSeen(record: ClusterRecord, seenAt: string | undefined): ClusterRecord {
  if (seenAt === undefined) return record;
  const { deletedAt: _gone, ...rest } = record;
  return { ...rest, deleted: false, seenAt };
}

/** What the use cases take from the store. */
type PipelineStorePick = ScanDeps['store'] & DiscoverDeps['store'] & ClusterEventDeps['store'];

/** Findings by fingerprint per cluster, reconciled with the store's own pure reconcile (a partial kind resolves nothing). */
export class InMemoryStore implements PipelineStorePick {
  readonly inventory = new Map<string, ClusterRecord>();
  readonly findings = new Map<string, Map<string, StoredFinding>>();
  readonly scans: (Omit<RecordScanInput, 'lease' | 'findings'> & { result: string; error?: string })[] = [];
  readonly leases = new Map<string, Lease>();
  /** The events each recorded scan handed the store (the outbox), by scan id. */
  readonly outboxes = new Map<string, unknown[]>();
  /** upsertCluster calls (inventory writes outside a scan's own). */
  upserts = 0;
  readonly #clock: { now(): Date };

  constructor(clock: { now(): Date }) {
    this.#clock = clock;
  }

  async getCluster(clusterId: string): Promise<ClusterRecord | undefined> {
    const record = this.inventory.get(clusterId);
    return record ? structuredClone(record) : undefined;
  }
  async clusters(): Promise<ClusterRecord[]> {
    return [...this.inventory.values()];
  }
  async upsertCluster(cluster: ClusterRef, info?: ClusterInfo): Promise<void> {
    this.upserts += 1;
    const record: ClusterRecord = { ...this.inventory.get(cluster.id), ...this.#fieldsOf(cluster), deleted: false };
    delete record.deletedAt;
    this.inventory.set(cluster.id, { ...withInfo(record, info), seenAt: this.#clock.now().toISOString() });
  }
  async markClusterDeleted(clusterId: string, at: string): Promise<void> {
    const record = this.inventory.get(clusterId);
    if (record) this.inventory.set(clusterId, { ...record, deleted: true, deletedAt: at });
  }
  async tryAcquireLease(clusterId: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
    const now = this.#clock.now().getTime();
    const held = this.leases.get(clusterId);
    if (held && Date.parse(held.expiresAt) > now && held.owner !== owner) return undefined;
    const lease = { clusterId, owner, expiresAt: new Date(now + ttlMs).toISOString() };
    this.leases.set(clusterId, lease);
    return lease;
  }
  async releaseLease(lease: Lease): Promise<void> {
    if (this.leases.get(lease.clusterId)?.owner === lease.owner) this.leases.delete(lease.clusterId);
  }
  #holds(lease: Lease): void {
    if (this.leases.get(lease.clusterId)?.owner !== lease.owner) throw new Error(`lease of ${lease.clusterId} lost`);
  }
  #fieldsOf(cluster: ClusterRef): ClusterRecord {
    const record: ClusterRecord = { clusterId: cluster.id, name: cluster.name, source: cluster.source, deleted: false };
    if (cluster.arn) record.arn = cluster.arn;
    if (cluster.accountId) record.accountId = cluster.accountId;
    if (cluster.region) record.region = cluster.region;
    return record;
  }
  async recordScan(input: RecordScanInput): Promise<ScanOutcome> {
    this.#holds(input.lease);
    const clusterId = input.cluster.id;
    const stored = this.findings.get(clusterId) ?? new Map<string, StoredFinding>();
    const known = this.inventory.get(clusterId);
    const reconciliation = reconcile([...stored.values()], input.findings, input.coverage, {
      scannedAt: input.scannedAt,
      committedAt: known?.committedScanAt,
    });
    for (const finding of reconciliation.writes) stored.set(finding.fingerprint, finding);
    this.findings.set(clusterId, stored);
    const { lease: _lease, findings: _findings, ...record } = input;
    this.scans.push({ ...record, result: 'succeeded' });
    const { lastScanError: _cleared, ...rest } = known ?? this.#fieldsOf(input.cluster);
    const scanId = input.scanId ?? `scan-at-${input.scannedAt}`;
    const { outbox: _previous, ...item } = withSeen(withInfo({ ...rest, deleted: false }, input.clusterInfo), input.seenAt);
    const outcome: ScanOutcome = {
      scanId,
      result: 'succeeded',
      reconciliation,
      summary: summarize(reconciliation),
      counts: countsOf(reconciliation.active),
      itemErrors: [],
      writeRequests: reconciliation.writes.length,
    };
    const committed: ClusterRecord = { ...item, committedScanAt: input.scannedAt, lastScanId: scanId };
    let publishError: { error: unknown } | undefined;
    if (input.outbox) {
      const events = structuredClone([...input.outbox(outcome)]);
      this.outboxes.set(scanId, events);
      try {
        await input.publish?.(events);
      } catch (error) {
        publishError = { error };
      }
      if (!input.publish || publishError) committed.outbox = { scanId, scanSK: `SCAN#${input.scannedAt}#${scanId}`, parts: 0 };
    }
    this.inventory.set(clusterId, committed);
    this.leases.delete(clusterId);
    if (publishError) throw new EventsPendingError(clusterId, scanId, publishError.error);
    return outcome;
  }
  async pendingEvents(clusterId: string): Promise<PendingEvents | undefined> {
    const pointer = this.inventory.get(clusterId)?.outbox;
    return pointer ? { scanId: pointer.scanId, events: structuredClone(this.outboxes.get(pointer.scanId) ?? []) } : undefined;
  }
  async markEventsPublished(clusterId: string, scanId: string): Promise<void> {
    const record = this.inventory.get(clusterId);
    if (record?.outbox?.scanId === scanId) delete record.outbox;
  }
  async recordScanFailure(input: ScanFailureInput): Promise<void> {
    this.#holds(input.lease);
    const scanId = input.scanId ?? `scan-at-${input.at}`;
    this.scans.push({ cluster: input.cluster, scanId, scannedAt: input.at, startedAt: input.at, coverage: {}, result: 'failed', error: input.error });
    const record = withSeen(withInfo(this.inventory.get(input.cluster.id) ?? this.#fieldsOf(input.cluster), input.clusterInfo), input.seenAt);
    this.inventory.set(input.cluster.id, { ...record, lastScanError: input.error, lastScanId: scanId });
    this.leases.delete(input.cluster.id);
  }
  /** As the real store: a scan that sees nothing, with every kind of the open findings completely covered. */
  async resolveAllFindings(cluster: ClusterRef, at: string): Promise<StoredFinding[]> {
    const open = [...(this.findings.get(cluster.id)?.values() ?? [])].filter((f) => f.status === 'OPEN');
    if (open.length === 0) return [];
    const coverage: Record<string, KindCoverage> = {};
    for (const finding of open) coverage[finding.resource.kind] = { complete: true, count: 0 };
    const lease = await this.tryAcquireLease(cluster.id, `cluster-deleted-${at}`, 60_000);
    if (!lease) throw new Error(`cluster ${cluster.id} is being scanned`);
    const outcome = await this.recordScan({ lease, cluster, findings: [], coverage, scannedAt: at, startedAt: at });
    return outcome.reconciliation.resolved;
  }
  get failures(): { clusterId: string; message: string }[] {
    return this.scans.filter((s) => s.result === 'failed').map((s) => ({ clusterId: s.cluster.id, message: s.error ?? '' }));
  }
}

/** A snapshot source that returns prepared snapshots, or fails, per cluster ARN. */
export class FakeSnapshotSource {
  readonly snapshots = new Map<string, Snapshot>();
  readonly failures = new Map<string, Error>();
  calls: { arn: string; skipSecrets: boolean }[] = [];
  onSnapshot?: (cluster: ClusterLocation) => void;
  readonly #clock: { now(): Date };

  constructor(clock: { now(): Date }) {
    this.#clock = clock;
  }

  async snapshot(cluster: ClusterLocation, options: { skipSecrets: boolean }): Promise<Snapshot> {
    this.calls.push({ arn: cluster.arn, skipSecrets: options.skipSecrets });
    this.onSnapshot?.(cluster);
    const failure = this.failures.get(cluster.arn);
    if (failure) throw failure;
    const snapshot = this.snapshots.get(cluster.arn);
    if (!snapshot) throw new Error(`no snapshot prepared for ${cluster.arn}`);
    return { ...snapshot, takenAt: this.#clock.now().toISOString() };
  }
}

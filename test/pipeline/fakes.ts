// In-memory stand-ins for the pipeline's ports: enough behaviour to test the use cases without AWS.
import type { Finding } from '../../shared/model/finding.ts';
import type { PeriscopeEvent, ScanRequest } from '../../shared/model/pipeline.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import type { ClusterInfo, ClusterRef } from '../../shared/model/cluster.ts';
import type { LogAttributes, Logger, Metrics } from '../../shared/model/cross-cutting.ts';
import type {
  ClusterDirectory,
  ClusterLocation,
  ClusterState,
  DiscoveryTarget,
  InventoryItem,
  Lease,
  PipelineStore,
  ReconcileOutcome,
  RecordScanInput,
} from '../../shared/pipeline/ports.ts';

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

/** Findings by fingerprint per cluster; reconcile follows the store's contract (a partial kind resolves nothing). */
export class InMemoryStore implements PipelineStore {
  readonly inventory = new Map<string, InventoryItem>();
  readonly findings = new Map<string, Map<string, Finding>>();
  readonly scans: (Omit<RecordScanInput, 'lease' | 'findings'> & { result: string; error?: string })[] = [];
  readonly leases = new Map<string, Lease>();
  readonly #clock: { now(): Date };

  constructor(clock: { now(): Date }) {
    this.#clock = clock;
  }

  async getInventory(clusterId: string): Promise<InventoryItem | undefined> {
    const item = this.inventory.get(clusterId);
    return item ? structuredClone(item) : undefined;
  }
  async listInventory(target: { accountId: string; region: string }): Promise<InventoryItem[]> {
    return [...this.inventory.values()].filter((i) => i.cluster.accountId === target.accountId && i.cluster.region === target.region);
  }
  async upsertInventory(cluster: ClusterRef, info?: ClusterInfo): Promise<void> {
    const item: InventoryItem = { ...this.inventory.get(cluster.id), cluster, deleted: false };
    delete item.deletedAt;
    if (info?.status) item.status = info.status;
    if (info?.version) item.version = info.version;
    this.inventory.set(cluster.id, item);
  }
  async markDeleted(clusterId: string, at: string): Promise<void> {
    const item = this.inventory.get(clusterId);
    if (item) this.inventory.set(clusterId, { ...item, deleted: true, deletedAt: at });
  }
  async acquireLease(clusterId: string, owner: string, ttlMs: number): Promise<Lease | undefined> {
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
  async recordScan(input: RecordScanInput): Promise<ReconcileOutcome> {
    this.#holds(input.lease);
    const clusterId = input.cluster.id;
    const stored = this.findings.get(clusterId) ?? new Map<string, Finding>();
    const outcome: ReconcileOutcome = { opened: [], resolved: [], unchanged: 0, suppressed: 0, open: [] };
    const seen = new Set<string>();
    for (const finding of input.findings) {
      seen.add(finding.fingerprint);
      const before = stored.get(finding.fingerprint);
      if (finding.status === 'SUPPRESSED') outcome.suppressed += 1;
      else if (!before || before.status !== 'OPEN') outcome.opened.push(finding);
      else outcome.unchanged += 1;
      stored.set(finding.fingerprint, { ...finding, firstSeenAt: before?.firstSeenAt ?? finding.firstSeenAt });
    }
    for (const [fingerprint, finding] of stored) {
      if (seen.has(fingerprint) || finding.status !== 'OPEN') continue;
      if (input.coverage[finding.resource.kind]?.complete !== true) continue;
      const resolved: Finding = { ...finding, status: 'RESOLVED', resolvedAt: input.scannedAt };
      stored.set(fingerprint, resolved);
      outcome.resolved.push(resolved);
    }
    outcome.open = [...stored.values()].filter((f) => f.status === 'OPEN');
    this.findings.set(clusterId, stored);
    const { lease: _lease, findings: _findings, ...record } = input;
    this.scans.push({ ...record, result: 'succeeded' });
    const item = this.inventory.get(clusterId) ?? { cluster: input.cluster, deleted: false };
    const { lastScanError: _cleared, ...rest } = item;
    this.inventory.set(clusterId, { ...rest, deleted: false, committedScanAt: input.scannedAt, lastScanId: input.scanId });
    this.leases.delete(clusterId);
    return outcome;
  }
  async recordScanFailure(input: { lease: Lease; cluster: ClusterRef; error: string; at: string; scanId: string }): Promise<void> {
    this.#holds(input.lease);
    this.scans.push({ cluster: input.cluster, scanId: input.scanId, scannedAt: input.at, startedAt: input.at, coverage: {}, result: 'failed', error: input.error });
    const item = this.inventory.get(input.cluster.id) ?? { cluster: input.cluster, deleted: false };
    this.inventory.set(input.cluster.id, { ...item, lastScanError: input.error, lastScanId: input.scanId });
    this.leases.delete(input.cluster.id);
  }
  async resolveAll(cluster: ClusterRef, at: string): Promise<Finding[]> {
    const stored = this.findings.get(cluster.id);
    if (!stored) return [];
    const resolved: Finding[] = [];
    for (const [fingerprint, finding] of stored) {
      if (finding.status !== 'OPEN') continue;
      const done: Finding = { ...finding, status: 'RESOLVED', resolvedAt: at };
      stored.set(fingerprint, done);
      resolved.push(done);
    }
    return resolved;
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

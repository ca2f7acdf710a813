// FindingStore: findings, inventory, scan history, lease and Jira tickets in one DynamoDB table, every read a Query.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { ClusterInfo, ClusterRef } from '../model/cluster.ts';
import {
  compareFleetFindings,
  compareText,
  type FleetFindingsQuery,
  type FleetFindingsResult,
  type FleetInventory,
  type FleetInventoryOptions,
  type FleetOpenTally,
} from '../model/fleet.ts';
import { silentLogger, systemClock, type Clock, type Logger } from '../model/cross-cutting.ts';
import { atLeast, severities, severityRank, type Severity } from '../model/finding.ts';
import type { KindCoverage } from '../model/snapshot.ts';
import {
  isConditionFailure,
  isThrottle,
  LeaseHeldError,
  LeaseLostError,
  StoreWriteError,
  TicketConflictError,
  type StoreItemError,
} from './errors.ts';
import { clusterIdsOf, clusterRowOf, emptyTally, findingRowOf, mapLimit, matchesQuery, statusOfQuery, tallyFinding, type ScanTrendRecord } from './fleet.ts';
import { alertsOf, kindCovered, reconcile, summarize } from './reconcile.ts';
import {
  clusterPK,
  countsOf,
  findingPrefix,
  findingSK,
  inventoryPartition,
  metaSK,
  ruleIndexKey,
  scanPrefix,
  scanRetentionDays,
  scanSK,
  severityIndexKey,
  severityIndexKeys,
  storedFindingSchema,
  ticketPrefix,
  ticketSK,
  type ClusterRecord,
  type KindCoverageRecord,
  type ScanRecord,
  type ScanResult,
  type ScanSummary,
  type StoredFinding,
  type TicketRecord,
} from './records.ts';
import type {
  ClusterFindings,
  Lease,
  RecordScanInput,
  ScanFailureInput,
  ScanOutcome,
  StorePort,
  TicketChanges,
  TicketClaim,
} from './port.ts';
import { findingsTable, inventoryIndex, openByRuleIndex, openBySeverityIndex } from './table.ts';

type Item = Record<string, unknown>;

export interface FindingStoreOptions {
  client: DynamoDBDocumentClient;
  tableName?: string;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Told of each stored item that does not parse (it is skipped). */
  logger?: Logger;
  /** Attempts per batch of 25 writes (throttling, unprocessed items) before giving up. */
  maxBatchAttempts?: number;
  /** Batches in flight at once. */
  writeConcurrency?: number;
  /** Lease length; a crashed scan's lease expires after it. */
  leaseMs?: number;
}

const batchSize = 25;
const listCap = 100;
const defaultLeaseMs = 15 * 60 * 1000;
const backoffBaseMs = 50;
const backoffCapMs = 5_000;
const findingRange = { from: findingPrefix, to: metaSK };
/** Queries in flight at once for the fleet views (one per cluster partition or index key). */
const fleetReadConcurrency = 8;

/** A document client that drops undefined fields, as the store's records have optional parts. */
export function documentClientOf(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

function keyOf(item: Item): { PK: string; SK: string } {
  return { PK: String(item.PK), SK: String(item.SK) };
}

function findingItem(finding: StoredFinding): Item {
  const item: Item = { PK: clusterPK(finding.clusterId), SK: findingSK(finding.fingerprint), ...finding };
  if (finding.status === 'OPEN') {
    item.openRuleKey = ruleIndexKey(finding.ruleId);
    item.openRuleSort = `${finding.clusterId}#${finding.fingerprint}`;
    item.openSeverityKey = severityIndexKey(finding.severity, finding.fingerprint);
    item.openSeveritySort = `${finding.clusterId}#${finding.ruleId}#${finding.fingerprint}`;
  }
  return item;
}

function clusterFields(cluster: ClusterRef, info: ClusterInfo | undefined): Item {
  const fields: Item = {
    clusterId: cluster.id,
    name: info?.name ?? cluster.name,
    source: cluster.source,
    arn: info?.arn ?? cluster.arn,
    accountId: cluster.accountId,
    region: cluster.region,
    deleted: false,
    inventoryKey: inventoryPartition,
    inventorySort: cluster.id,
  };
  if (info) {
    Object.assign(fields, {
      version: info.version,
      status: info.status,
      endpointPublicAccess: info.endpointPublicAccess,
      endpointPrivateAccess: info.endpointPrivateAccess,
      publicAccessCidrs: info.publicAccessCidrs,
    });
  }
  return fields;
}

/** A cluster seen to exist is no longer deleted: its `deletedAt` goes, as in upsertCluster. */
function seenRemovals(seenAt: string | undefined): string[] {
  return seenAt === undefined ? [] : ['deletedAt'];
}

function coverageRecord(coverage: Readonly<Record<string, KindCoverage>>): Record<string, KindCoverageRecord> {
  return Object.fromEntries(
    Object.entries(coverage).map(([kind, c]) => [
      kind,
      c.error === undefined ? { complete: c.complete, count: c.count } : { complete: c.complete, count: c.count, error: c.error },
    ]),
  );
}

/** `SET a = :a, ...` (and `REMOVE`) from a record of fields; undefined fields are left alone. */
function updateOf(set: Item, remove: readonly string[] = []): {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Item;
} {
  const names: Record<string, string> = {};
  const values: Item = {};
  const assignments: string[] = [];
  let i = 0;
  for (const [field, value] of Object.entries(set)) {
    if (value === undefined) continue;
    i += 1;
    names[`#f${i}`] = field;
    values[`:v${i}`] = value;
    assignments.push(`#f${i} = :v${i}`);
  }
  const removals = remove.map((field) => {
    i += 1;
    names[`#f${i}`] = field;
    return `#f${i}`;
  });
  let expression = assignments.length > 0 ? `SET ${assignments.join(', ')}` : '';
  if (removals.length > 0) expression += `${expression ? ' ' : ''}REMOVE ${removals.join(', ')}`;
  return { UpdateExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

function clusterRecordOf(item: Item): ClusterRecord {
  const { PK: _pk, SK: _sk, inventoryKey: _ik, inventorySort: _is, ...rest } = item;
  return { deleted: false, ...(rest as Partial<ClusterRecord>), clusterId: typeof item.clusterId === 'string' ? item.clusterId : '' } as ClusterRecord;
}

/** A time a caller gave, as the ISO string stored times compare with. */
function isoOf(text: string, what: string): string {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error(`The fleet view's ${what} time "${text}" is not a date (give an ISO time).`);
  return date.toISOString();
}

function stripKeys<T>(item: Item): T {
  const { PK: _pk, SK: _sk, ...rest } = item;
  return rest as T;
}

/** The last time an active finding was seen: its own write, or a later scan that listed its kind completely. */
function withLastSeen(finding: StoredFinding, cluster: ClusterRecord | undefined): StoredFinding {
  if (finding.status === 'RESOLVED' || !cluster?.seenThrough) return finding;
  const through = cluster.seenThrough[finding.resource.kind];
  return through && through > finding.lastSeenAt ? { ...finding, lastSeenAt: through } : finding;
}

export class FindingStore implements StorePort {
  readonly tableName: string;
  readonly #client: DynamoDBDocumentClient;
  readonly #clock: Clock;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #logger: Logger;
  readonly #maxBatchAttempts: number;
  readonly #writeConcurrency: number;
  readonly #leaseMs: number;

  constructor(options: FindingStoreOptions) {
    this.#client = options.client;
    this.tableName = options.tableName ?? findingsTable.defaultName;
    this.#clock = options.clock ?? systemClock;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger ?? silentLogger;
    this.#maxBatchAttempts = options.maxBatchAttempts ?? 8;
    this.#writeConcurrency = options.writeConcurrency ?? 4;
    this.#leaseMs = options.leaseMs ?? defaultLeaseMs;
  }

  // ── Lease ────────────────────────────────────────────────────────────────────────────────────────────────

  /** Takes the cluster's scan lease, or throws LeaseHeldError while another scan holds an unexpired one. */
  async acquireLease(clusterId: string, owner: string = randomUUID(), leaseMs: number = this.#leaseMs): Promise<Lease> {
    const now = this.#clock.now();
    const expiresAt = new Date(now.getTime() + leaseMs).toISOString();
    try {
      const out = await this.#client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: clusterPK(clusterId), SK: metaSK },
          UpdateExpression: 'SET leaseOwner = :owner, leaseExpiresAt = :expires, clusterId = :id',
          ConditionExpression: 'attribute_not_exists(leaseOwner) OR leaseExpiresAt < :now OR leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': owner, ':expires': expiresAt, ':now': now.toISOString(), ':id': clusterId },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      const previous = out.Attributes?.leaseOwner as string | undefined;
      const lease: Lease = { clusterId, owner, expiresAt };
      if (typeof previous === 'string' && previous !== owner) lease.takenOverFrom = previous;
      return lease;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // dynalite returns no item on a failed condition, so read the holder for the message.
      const current = await this.getCluster(clusterId);
      throw new LeaseHeldError(clusterId, current?.leaseOwner, current?.leaseExpiresAt);
    }
  }

  /** Takes the lease like acquireLease, or gives `undefined` while another scan holds a live one. */
  async tryAcquireLease(clusterId: string, owner?: string, leaseMs?: number): Promise<Lease | undefined> {
    try {
      return await this.acquireLease(clusterId, owner, leaseMs);
    } catch (error) {
      if (error instanceof LeaseHeldError) return undefined;
      throw error;
    }
  }

  /** Gives the lease back early (a scan that failed before it could be recorded). */
  async releaseLease(lease: Lease): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: clusterPK(lease.clusterId), SK: metaSK },
          UpdateExpression: 'REMOVE leaseOwner, leaseExpiresAt',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': lease.owner },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  // ── Scans ────────────────────────────────────────────────────────────────────────────────────────────────

  /** Reconciles a scan's findings with the stored ones and records it: changed findings, scan record, cluster item. */
  async recordScan(input: RecordScanInput): Promise<ScanOutcome> {
    const clusterId = input.cluster.id;
    if (input.lease.clusterId !== clusterId) {
      throw new Error(`The lease is for cluster ${input.lease.clusterId}, not ${clusterId}: take the cluster's own lease.`);
    }
    const foreign = input.findings.find((f) => f.clusterId !== clusterId);
    if (foreign) {
      throw new Error(`Finding ${foreign.fingerprint} belongs to cluster ${foreign.clusterId}, not ${clusterId}.`);
    }
    const scanId = input.scanId ?? randomUUID();
    let writeRequests = 0;
    const loaded = await this.loadCluster(clusterId);
    const reconciliation = reconcile(loaded.findings, input.findings, input.coverage, {
      scannedAt: input.scannedAt,
      committedAt: loaded.cluster?.committedScanAt,
      skippedRules: input.skippedRules?.map((s) => s.ruleId),
    });
    writeRequests += await this.#putAll(reconciliation.writes.map(findingItem));

    const summary = summarize(reconciliation);
    const counts = countsOf(reconciliation.active);
    const complete = Object.values(input.coverage).every((c) => c.complete);
    const result: ScanResult = complete ? 'succeeded' : 'partial';
    const finishedAt = this.#clock.now().toISOString();
    const coverage = coverageRecord(input.coverage);
    const alerts = alertsOf(reconciliation);
    const record: ScanRecord = {
      clusterId,
      scanId,
      scannedAt: input.scannedAt,
      finishedAt,
      result,
      summary,
      counts,
      coverage,
      timings: input.timings ?? {},
      opened: alerts.opened.slice(0, listCap).map((f) => f.fingerprint),
      resolved: alerts.resolved.slice(0, listCap).map((f) => f.fingerprint),
      expiresAt: Math.floor(Date.parse(input.scannedAt) / 1000) + scanRetentionDays * 86_400,
    };
    if (input.startedAt) record.startedAt = input.startedAt;
    if (input.skippedRules && input.skippedRules.length > 0) record.skippedRules = [...input.skippedRules];
    await this.#client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { PK: clusterPK(clusterId), SK: scanSK(input.scannedAt, scanId), ...record },
        ConditionExpression: 'attribute_not_exists(SK)',
      }),
    );
    writeRequests += 1;

    const seenThrough = { ...loaded.cluster?.seenThrough };
    const kinds = new Set([...Object.keys(input.coverage), 'EKSCluster', 'Snapshot']);
    for (const kind of kinds) if (kindCovered(kind, input.coverage)) seenThrough[kind] = input.scannedAt;
    await this.#commitCluster(input.lease, {
      ...clusterFields(input.cluster, input.clusterInfo),
      lastScanAt: input.scannedAt,
      lastScanId: scanId,
      lastScanResult: result,
      committedScanAt: input.scannedAt,
      counts,
      coverage,
      seenThrough,
      seenAt: input.seenAt,
    }, ['lastScanError', ...seenRemovals(input.seenAt)]);
    writeRequests += 1;
    return { scanId, result, reconciliation, summary, counts, itemErrors: loaded.errors, writeRequests };
  }

  /** Records a scan that could not run (connect or list failed): history and inventory say so; findings stay. */
  async recordScanFailure(input: ScanFailureInput): Promise<void> {
    const scanId = input.scanId ?? randomUUID();
    const clusterId = input.cluster.id;
    const summary: ScanSummary = {
      opened: 0, reopened: 0, unsuppressed: 0, changed: 0, resolved: 0, newlySuppressed: 0, unchanged: 0, suppressed: 0, notCovered: 0,
    };
    const existing = await this.getCluster(clusterId);
    const record: ScanRecord = {
      clusterId,
      scanId,
      scannedAt: input.at,
      finishedAt: this.#clock.now().toISOString(),
      result: 'failed',
      error: input.error,
      summary,
      counts: existing?.counts ?? countsOf([]),
      coverage: {},
      timings: {},
      opened: [],
      resolved: [],
      expiresAt: Math.floor(Date.parse(input.at) / 1000) + scanRetentionDays * 86_400,
    };
    await this.#client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { PK: clusterPK(clusterId), SK: scanSK(input.at, scanId), ...record },
        ConditionExpression: 'attribute_not_exists(SK)',
      }),
    );
    await this.#commitCluster(input.lease, {
      ...clusterFields(input.cluster, input.clusterInfo),
      lastScanAt: input.at,
      lastScanId: scanId,
      lastScanResult: 'failed',
      lastScanError: input.error,
      seenAt: input.seenAt,
    }, seenRemovals(input.seenAt));
  }

  /** A scan that sees nothing, with every kind of the open findings completely covered: all of them resolve,
   * through the same reconcile and history as any scan (a deleted cluster). Throws LeaseHeldError while a scan runs. */
  async resolveAllFindings(cluster: ClusterRef, at: string): Promise<StoredFinding[]> {
    const open = await this.findings(cluster.id, { status: 'open' });
    if (open.length === 0) return [];
    const coverage: Record<string, KindCoverage> = {};
    for (const finding of open) coverage[finding.resource.kind] = { complete: true, count: 0 };
    const lease = await this.acquireLease(cluster.id, `cluster-deleted-${randomUUID()}`);
    const outcome = await this.recordScan({ lease, cluster, findings: [], coverage, scannedAt: at, startedAt: at });
    return outcome.reconciliation.resolved;
  }

  async #commitCluster(lease: Lease, fields: Item, remove: readonly string[] = []): Promise<void> {
    const update = updateOf(fields, ['leaseOwner', 'leaseExpiresAt', ...remove]);
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: clusterPK(lease.clusterId), SK: metaSK },
          ...update,
          ConditionExpression: 'leaseOwner = :leaseOwner',
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':leaseOwner': lease.owner },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new LeaseLostError(lease.clusterId, lease.owner);
      throw error;
    }
  }

  /** The cluster item and every stored finding of the cluster, in one paginated Query. */
  async loadCluster(clusterId: string): Promise<ClusterFindings> {
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': clusterPK(clusterId), ':from': findingRange.from, ':to': findingRange.to },
    };
    let cluster: ClusterRecord | undefined;
    const findings: StoredFinding[] = [];
    const errors: StoreItemError[] = [];
    for await (const item of this.#query(input)) {
      if (item.SK === metaSK) cluster = clusterRecordOf(item);
      else this.#parseFinding(item, findings, errors);
    }
    return { cluster, findings, errors };
  }

  /** A cluster's findings (all, or open only), with `lastSeenAt` as of the last scan that could see them. */
  async findings(clusterId: string, options: { status?: 'all' | 'open' } = {}): Promise<StoredFinding[]> {
    // A filter expression would read the same capacity; filtering here keeps one code path.
    const loaded = await this.loadCluster(clusterId);
    const wanted = options.status === 'open' ? loaded.findings.filter((f) => f.status === 'OPEN') : loaded.findings;
    return wanted.map((f) => withLastSeen(f, loaded.cluster));
  }

  /** Open findings of one rule across the fleet. */
  async openFindingsOfRule(ruleId: string): Promise<StoredFinding[]> {
    return this.#fleetQuery(openByRuleIndex, 'openRuleKey', [ruleIndexKey(ruleId)]);
  }

  /** Open findings at or above a severity across the fleet, most severe first. */
  async openFindingsAtLeast(threshold: Severity): Promise<StoredFinding[]> {
    const wanted = severities.filter((s) => atLeast(s, threshold)).sort((a, b) => severityRank(b) - severityRank(a));
    const findings: StoredFinding[] = [];
    for (const severity of wanted) {
      // A severity's shards merged in the index's sort-key order, as one partition would return them.
      const sortKey = (f: StoredFinding) => `${f.clusterId}#${f.ruleId}#${f.fingerprint}`;
      const found = await this.#fleetQuery(openBySeverityIndex, 'openSeverityKey', severityIndexKeys(severity));
      findings.push(...found.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0)));
    }
    return findings;
  }

  async #fleetQuery(indexName: string, keyName: string, keys: readonly string[]): Promise<StoredFinding[]> {
    const findings: StoredFinding[] = [];
    const errors: StoreItemError[] = [];
    for (const key of keys) {
      const input: QueryCommandInput = {
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: '#k = :k',
        ExpressionAttributeNames: { '#k': keyName },
        ExpressionAttributeValues: { ':k': key },
      };
      for await (const item of this.#query(input)) this.#parseFinding(item, findings, errors);
    }
    const clusters = await this.#clustersById([...new Set(findings.map((f) => f.clusterId))]);
    return findings.map((f) => withLastSeen(f, clusters.get(f.clusterId)));
  }

  // ── Fleet views (every read a Query: the inventory index, cluster partitions, the open-by-* indexes) ─────────

  /** The inventory with each cluster's trend window: one paginated Query of the inventory index; one of the
   * open-by-rule index per attack-path rule (only `clusterId` projected); and one of each cluster's partition for
   * its scans in the window (a key range, only the counts projected), skipped when its last scan is older. */
  async fleetInventory(options: FleetInventoryOptions): Promise<FleetInventory> {
    const since = isoOf(options.since, 'since');
    const now = isoOf(options.now, 'now');
    const clusters = await this.clusters();
    const attackPaths = new Map<string, number>();
    for (const ruleId of new Set(options.attackPathRules)) {
      const input: QueryCommandInput = {
        TableName: this.tableName,
        IndexName: openByRuleIndex,
        KeyConditionExpression: 'openRuleKey = :k',
        ExpressionAttributeNames: { '#ci': 'clusterId' },
        ExpressionAttributeValues: { ':k': ruleIndexKey(ruleId) },
        ProjectionExpression: '#ci',
      };
      for await (const item of this.#query(input)) {
        const id = String(item.clusterId);
        attackPaths.set(id, (attackPaths.get(id) ?? 0) + 1);
      }
    }
    const rows = await mapLimit(clusters, fleetReadConcurrency, async (cluster) => {
      const scans = cluster.lastScanAt && cluster.lastScanAt >= since ? await this.#scansSince(cluster.clusterId, since) : [];
      return clusterRowOf(cluster, scans, attackPaths.get(cluster.clusterId) ?? 0, { ...options, since, now });
    });
    rows.sort((a, b) => compareText(a.name, b.name) || compareText(a.clusterId, b.clusterId));
    return { at: now, since, clusters: rows, errors: [] };
  }

  async #scansSince(clusterId: string, since: string): Promise<ScanTrendRecord[]> {
    const out: ScanTrendRecord[] = [];
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#a': 'scannedAt', '#r': 'result', '#s': 'summary', '#c': 'counts' },
      ExpressionAttributeValues: { ':pk': clusterPK(clusterId), ':from': `${scanPrefix}${since}`, ':to': `${scanPrefix}~` },
      ProjectionExpression: '#a, #r, #s, #c',
    };
    for await (const item of this.#query(input)) out.push(item as unknown as ScanTrendRecord);
    return out;
  }

  /** Findings across the fleet. Open ones come from an index when no cluster is named (open-by-rule for `rules`,
   * else open-by-severity's shards of the wanted severities); resolved and suppressed ones, and any status of named
   * clusters, from each cluster's partition (status filtered in the Query). The other filters apply to what is read. */
  async fleetFindings(query: FleetFindingsQuery): Promise<FleetFindingsResult> {
    const normalized: FleetFindingsQuery = query.since ? { ...query, since: isoOf(query.since, 'since') } : query;
    const clusters = await this.clusters();
    const byId = new Map(clusters.map((c) => [c.clusterId, c]));
    const clusterIds = query.clusters && query.clusters.length > 0 ? clusterIdsOf(query.clusters, clusters) : undefined;
    const inputs: QueryCommandInput[] = [];
    if (query.status === 'open' && !clusterIds) {
      if (query.rules && query.rules.length > 0) {
        for (const ruleId of new Set(query.rules)) inputs.push(this.#indexInput(openByRuleIndex, 'openRuleKey', ruleIndexKey(ruleId)));
      } else {
        const wanted = query.severities && query.severities.length > 0 ? [...new Set(query.severities)] : severities;
        for (const key of wanted.flatMap(severityIndexKeys)) inputs.push(this.#indexInput(openBySeverityIndex, 'openSeverityKey', key));
      }
    } else {
      for (const id of clusterIds ?? byId.keys()) {
        inputs.push({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :f)',
          FilterExpression: '#st = :st',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ':pk': clusterPK(id), ':f': findingPrefix, ':st': statusOfQuery[query.status] },
        });
      }
    }
    const errors: StoreItemError[] = [];
    const found = await mapLimit(inputs, fleetReadConcurrency, async (input) => {
      const parsed: StoredFinding[] = [];
      for await (const item of this.#query(input)) this.#parseFinding(item, parsed, errors);
      return parsed.filter((f) => matchesQuery(f, normalized, clusterIds));
    });
    const findings = found
      .flat()
      .map((f) => { const cluster = byId.get(f.clusterId); return findingRowOf(withLastSeen(f, cluster), cluster); })
      .sort(compareFleetFindings);
    return { query: normalized, findings, errors: errors.map((e) => e.message) };
  }

  /** Every open finding counted by cluster × OWASP category and rule × cluster, from the open-by-severity index's
   * shards (a few attributes projected), without holding the findings. */
  async fleetOpenTally(): Promise<FleetOpenTally> {
    const tally = emptyTally();
    const projected = { '#pk': 'PK', '#sk': 'SK', '#ci': 'clusterId', '#ri': 'ruleId', '#sv': 'severity', '#fw': 'frameworks' };
    const inputs = severities.flatMap(severityIndexKeys).map((key) => {
      const input = this.#indexInput(openBySeverityIndex, 'openSeverityKey', key);
      return { ...input, ExpressionAttributeNames: { ...input.ExpressionAttributeNames, ...projected }, ProjectionExpression: Object.keys(projected).join(', ') };
    });
    await mapLimit(inputs, fleetReadConcurrency, async (input) => {
      for await (const item of this.#query(input)) {
        const { clusterId, ruleId, severity, frameworks } = item;
        if (typeof clusterId === 'string' && typeof ruleId === 'string' && severities.includes(severity as Severity)) {
          const owasp = frameworks && typeof frameworks === 'object' ? (frameworks as Record<string, unknown>) : {};
          const lists = Object.fromEntries(Object.entries(owasp).filter(([, v]) => Array.isArray(v) && v.every((x) => typeof x === 'string'))) as Record<string, string[]>;
          tallyFinding(tally, { clusterId, ruleId, severity: severity as Severity, frameworks: lists });
        } else {
          const key = keyOf(item);
          tally.errors.push(`Skipped malformed item PK=${key.PK} SK=${key.SK} in table ${this.tableName} (no clusterId, ruleId or severity).`);
        }
      }
    });
    return tally;
  }

  #indexInput(indexName: string, keyName: string, key: string): QueryCommandInput {
    return {
      TableName: this.tableName,
      IndexName: indexName,
      KeyConditionExpression: '#k = :k',
      ExpressionAttributeNames: { '#k': keyName },
      ExpressionAttributeValues: { ':k': key },
    };
  }

  // ── Inventory ────────────────────────────────────────────────────────────────────────────────────────────

  /** Creates or refreshes a cluster's inventory item (discovery), leaving its scan state and lease alone. */
  async upsertCluster(cluster: ClusterRef, info?: ClusterInfo): Promise<void> {
    const update = updateOf({ ...clusterFields(cluster, info), seenAt: this.#clock.now().toISOString() }, ['deletedAt']);
    await this.#client.send(
      new UpdateCommand({ TableName: this.tableName, Key: { PK: clusterPK(cluster.id), SK: metaSK }, ...update }),
    );
  }

  /** Marks a cluster deleted (its findings stay for the record). */
  async markClusterDeleted(clusterId: string, at: string = this.#clock.now().toISOString()): Promise<void> {
    await this.#client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: clusterPK(clusterId), SK: metaSK },
        UpdateExpression: 'SET deleted = :true, deletedAt = :at, clusterId = :id, inventoryKey = :inv, inventorySort = :id',
        ExpressionAttributeValues: { ':true': true, ':at': at, ':id': clusterId, ':inv': inventoryPartition },
      }),
    );
  }

  async getCluster(clusterId: string): Promise<ClusterRecord | undefined> {
    const out = await this.#client.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: clusterPK(clusterId), SK: metaSK }, ConsistentRead: true }),
    );
    return out.Item ? clusterRecordOf(out.Item) : undefined;
  }

  /** Every known cluster, by id. */
  async clusters(): Promise<ClusterRecord[]> {
    const out: ClusterRecord[] = [];
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: inventoryIndex,
      KeyConditionExpression: 'inventoryKey = :k',
      ExpressionAttributeValues: { ':k': inventoryPartition },
    };
    for await (const item of this.#query(input)) out.push(clusterRecordOf(item));
    return out;
  }

  /** A cluster's scans, newest first. */
  async scans(clusterId: string, options: { limit?: number } = {}): Promise<ScanRecord[]> {
    const out: ScanRecord[] = [];
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :scan)',
      ExpressionAttributeValues: { ':pk': clusterPK(clusterId), ':scan': scanPrefix },
      ScanIndexForward: false,
    };
    if (options.limit !== undefined) input.Limit = options.limit;
    for await (const item of this.#query(input, options.limit)) out.push(stripKeys<ScanRecord>(item));
    return out;
  }

  // ── Jira tickets (rule × cluster) ────────────────────────────────────────────────────────────────────────

  async getTicket(clusterId: string, ruleId: string): Promise<TicketRecord | undefined> {
    const out = await this.#client.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: clusterPK(clusterId), SK: ticketSK(ruleId) }, ConsistentRead: true }),
    );
    return out.Item ? stripKeys<TicketRecord>(out.Item) : undefined;
  }

  async tickets(clusterId: string): Promise<TicketRecord[]> {
    const out: TicketRecord[] = [];
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :t)',
      ExpressionAttributeValues: { ':pk': clusterPK(clusterId), ':t': ticketPrefix },
    };
    for await (const item of this.#query(input)) out.push(stripKeys<TicketRecord>(item));
    return out;
  }

  /** Claims the ticket slot of a rule on a cluster: of concurrent callers exactly one gets `claimed: true`. */
  async claimTicket(clusterId: string, ruleId: string, claimant: string): Promise<TicketClaim> {
    const at = this.#clock.now().toISOString();
    const ticket: TicketRecord = { clusterId, ruleId, claimedBy: claimant, claimedAt: at, version: 1, updatedAt: at };
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: clusterPK(clusterId), SK: ticketSK(ruleId), ...ticket },
          ConditionExpression: 'attribute_not_exists(SK)',
        }),
      );
      return { claimed: true, ticket };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.getTicket(clusterId, ruleId);
      if (!existing) throw new StoreWriteError(`The ticket of rule ${ruleId} on cluster ${clusterId} was claimed and removed concurrently; retry.`);
      return { claimed: false, ticket: existing };
    }
  }

  /** Updates a ticket if nobody else did since `expectedVersion`; returns the new record. */
  async updateTicket(clusterId: string, ruleId: string, changes: TicketChanges, expectedVersion: number): Promise<TicketRecord> {
    const update = updateOf({ ...changes, updatedAt: this.#clock.now().toISOString() });
    try {
      const out = await this.#client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: clusterPK(clusterId), SK: ticketSK(ruleId) },
          UpdateExpression: `${update.UpdateExpression}, version = version + :one`,
          ConditionExpression: 'version = :expected',
          ExpressionAttributeNames: update.ExpressionAttributeNames,
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':one': 1, ':expected': expectedVersion },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return stripKeys<TicketRecord>(out.Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) throw new TicketConflictError(clusterId, ruleId, expectedVersion);
      throw error;
    }
  }

  /** Gives up a claim that never got an issue (the Jira call failed), so the next sync can try again. */
  async releaseTicketClaim(clusterId: string, ruleId: string, claimant: string): Promise<boolean> {
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { PK: clusterPK(clusterId), SK: ticketSK(ruleId) },
          ConditionExpression: 'claimedBy = :me AND attribute_not_exists(issueKey)',
          ExpressionAttributeValues: { ':me': claimant },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  // ── Plumbing ─────────────────────────────────────────────────────────────────────────────────────────────

  #parseFinding(item: Item, into: StoredFinding[], errors: StoreItemError[]): void {
    const parsed = storedFindingSchema.safeParse(item);
    if (parsed.success) {
      into.push(parsed.data);
      return;
    }
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');
    const key = keyOf(item);
    const error: StoreItemError = {
      key,
      message: `Skipped malformed item PK=${key.PK} SK=${key.SK} in table ${this.tableName} (${issues}); ` +
        'the rest was processed, and the item is rewritten when its finding is seen again.',
    };
    errors.push(error);
    this.#logger.error('stored item skipped', { ...error });
  }

  async *#query(input: QueryCommandInput, limit?: number): AsyncGenerator<Item> {
    let startKey: Item | undefined;
    let count = 0;
    do {
      const out = await this.#client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      for (const item of out.Items ?? []) {
        yield item;
        count += 1;
        if (limit !== undefined && count >= limit) return;
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }

  async #clustersById(ids: readonly string[]): Promise<Map<string, ClusterRecord>> {
    const out = new Map<string, ClusterRecord>();
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Item[] = ids.slice(i, i + 100).map((id) => ({ PK: clusterPK(id), SK: metaSK }));
      for (let attempt = 1; keys.length > 0; attempt += 1) {
        const response = await this.#client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }));
        for (const item of response.Responses?.[this.tableName] ?? []) out.set(String(item.clusterId), clusterRecordOf(item));
        keys = response.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (keys.length > 0) {
          if (attempt >= this.#maxBatchAttempts) break;
          await this.#sleep(this.#backoff(attempt));
        }
      }
    }
    return out;
  }

  /** Full jitter: a random wait up to an exponentially growing cap. */
  #backoff(attempt: number): number {
    return Math.floor(this.#random() * Math.min(backoffCapMs, backoffBaseMs * 2 ** attempt));
  }

  /** Puts items 25 at a time, a few batches in flight; retries throttling and unprocessed items. On a failure no new
   * batch starts, and the error is thrown once the batches in flight have settled. */
  async #putAll(items: readonly Item[]): Promise<number> {
    const batches: Item[][] = [];
    for (let i = 0; i < items.length; i += batchSize) batches.push(items.slice(i, i + batchSize));
    let next = 0;
    let requests = 0;
    let failure: { error: unknown } | undefined;
    const worker = async (): Promise<void> => {
      while (!failure && next < batches.length) {
        const batch = batches[next];
        next += 1;
        if (!batch) continue;
        try {
          const sent = await this.#writeBatch(batch);
          requests += sent;
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#writeConcurrency, batches.length) }, worker));
    if (failure) throw failure.error;
    return requests;
  }

  async #writeBatch(items: readonly Item[]): Promise<number> {
    let pending = items.map((Item) => ({ PutRequest: { Item } }));
    let requests = 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        requests += 1;
        const out = await this.#client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        const unprocessed = out.UnprocessedItems?.[this.tableName] ?? [];
        if (unprocessed.length === 0) return requests;
        pending = unprocessed.filter((r): r is { PutRequest: { Item: Item } } => r.PutRequest?.Item !== undefined);
        if (pending.length === 0) return requests;
      } catch (error) {
        if (!isThrottle(error)) throw error;
      }
      if (attempt >= this.#maxBatchAttempts) {
        const first = pending[0]?.PutRequest.Item;
        throw new StoreWriteError(
          `${pending.length} finding writes to table ${this.tableName} (first ${first ? `${String(first.PK)} ${String(first.SK)}` : '?'}) ` +
            `were still throttled after ${attempt} attempts; the scan was not recorded and the next scan will write them.`,
        );
      }
      await this.#sleep(this.#backoff(attempt));
    }
  }
}

// Fleet: N emulated EKS clusters (fake EKS API + one Kubernetes API emulator each, with latency on every request)
// discovered by the pipeline's `discover`, queued, and scanned by `scanCluster` with a fixed number of concurrent
// workers, through the same adapters the Lambda functions use (functions/adapters) and a DynamoDB table on
// dynalite. Two rounds: the first scan of every cluster (every finding written), then the scheduled rescan.
// DynamoDB writes are counted by SDK middleware: requests, items, write units (table and indexes, from item
// sizes, as on-demand billing counts them) and, per second, the write units that land on each partition key of
// the open-by-severity index, whose keys are the five severities.
import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { EKSClient } from '@aws-sdk/client-eks';
import { collectedKinds } from '../../shared/kube/kinds.ts';
import type { ScanRequest } from '../../shared/model/pipeline.ts';
import { discover, type DiscoverDeps } from '../../shared/pipeline/discover.ts';
import { noMetrics, silentLogger, systemClock } from '../../shared/model/cross-cutting.ts';
import type { EventPublisher, ScanQueue } from '../../shared/pipeline/ports.ts';
import { scanCluster, type ScanDeps } from '../../shared/pipeline/scan-cluster.ts';
import type { ClusterProfile } from '../../shared/sandbox/synthetic/cluster.ts';
import { documentClientOf, FindingStore } from '../../shared/store/finding-store.ts';
import { ensureTable } from '../../shared/store/local.ts';
import { findingsTable, openBySeverityIndex } from '../../shared/store/table.ts';
import { EksClusterDirectory, type AwsAccess } from '../../shared/eks/directory.ts';
import { EksSnapshotSource } from '../../functions/adapters/eks-snapshot-source.ts';
import { benchCredentials, percentile, startServices } from '../children.ts';
import { evaluate } from '../scan.ts';

export interface FleetOptions {
  clusters: number;
  concurrency: number;
  latencyMs: number;
  /** Pods of cluster i (default: a mix of 150, 400, 1,000 and 2,500 pods). */
  podsOf?: (i: number) => number;
}

export interface FleetRound {
  label: string;
  discoverMs: number;
  totalMs: number;
  scanned: number;
  failed: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  findingsOpened: number;
  events: number;
  /** Scans in flight at once: at most, and on average over the round (scan time ÷ wall time). */
  maxInFlight: number;
  meanInFlight: number;
  /** Write requests of `discover` (an inventory item per new or changed cluster), apart from the scans'. */
  discoverWriteRequests: number;
  /** The scans' writes (lease, findings, scan record, cluster item with the inventory refresh). */
  writes: WriteCounts;
}

export interface WriteCounts {
  requests: number;
  /** Write requests per scanned cluster (lease included, discovery not). */
  requestsPerCluster: number;
  items: number;
  /** Write units: 1 per started KiB of each item written, for the table and for every index the item is in. */
  units: number;
  indexUnits: Record<string, number>;
  /** The open-by-severity index: write units per partition key, and the most on one key in any one second. */
  severityKeyUnits: Record<string, number>;
  severityKeyPeakPerSecond: { key: string; units: number };
}

export interface FleetResult {
  clusters: number;
  pods: number;
  concurrency: number;
  latencyMs: number;
  /** List requests of one scan of the smallest cluster (one page per kind). */
  listRequestsPerScan: number;
  rounds: FleetRound[];
}

const accountId = '111122223333';
const region = 'us-east-1';

/** Half small, a third medium, a tenth large and a tenth big: a fleet's usual skew. */
export function defaultFleetPods(i: number): number {
  const bucket = i % 10;
  return bucket < 5 ? 150 : bucket < 8 ? 400 : bucket < 9 ? 1000 : 2500;
}

/** SQS as the pipeline sees it: requests in, workers take them in order. */
class BenchQueue implements ScanQueue {
  readonly pending: ScanRequest[] = [];
  delayed = 0;
  async send(request: ScanRequest, delaySeconds?: number): Promise<void> {
    if (delaySeconds) this.delayed += 1;
    else this.pending.push(request);
  }
  async sendBatch(requests: ScanRequest[]): Promise<void> {
    this.pending.push(...requests);
  }
}

/** DynamoDB's item size: attribute names plus values (strings and binaries by their bytes, numbers ~ their digits). */
function sizeOf(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.SS) return value.SS.reduce((sum, item) => sum + Buffer.byteLength(item), 0);
  if (value.NS) return value.NS.reduce((sum, item) => sum + item.length, 0);
  if (value.M) return 3 + itemSize(value.M);
  if (value.L) return 3 + value.L.reduce((sum, item) => sum + 1 + sizeOf(item), 0);
  return 1;
}

function itemSize(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + sizeOf(value), 0);
}

class WriteCounter {
  #counts = WriteCounter.empty();
  #perSecond = new Map<string, number>();

  static empty(): Omit<WriteCounts, 'requestsPerCluster'> {
    return { requests: 0, items: 0, units: 0, indexUnits: {}, severityKeyUnits: {}, severityKeyPeakPerSecond: { key: '', units: 0 } };
  }

  /** Counts what one write request puts (an update or a delete: one unit, no index key known). */
  record(command: string, input: Record<string, unknown>): void {
    this.#counts.requests += 1;
    const puts: Record<string, AttributeValue>[] = [];
    let others = 0;
    if (command === 'BatchWriteItemCommand') {
      for (const requests of Object.values((input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Record<string, AttributeValue> } }[]>)) {
        for (const request of requests) {
          if (request.PutRequest) puts.push(request.PutRequest.Item);
          else others += 1;
        }
      }
    } else if (command === 'PutItemCommand' && input.Item) puts.push(input.Item as Record<string, AttributeValue>);
    else others += 1;
    this.#counts.items += puts.length + others;
    this.#counts.units += others;
    const second = Math.floor(performance.now() / 1000);
    for (const item of puts) {
      const units = Math.max(1, Math.ceil(itemSize(item) / 1024));
      this.#counts.units += units;
      for (const index of findingsTable.indexes) {
        const key = item[index.partitionKey.name]?.S;
        if (key === undefined) continue;
        this.#counts.units += units;
        this.#counts.indexUnits[index.name] = (this.#counts.indexUnits[index.name] ?? 0) + units;
        if (index.name !== openBySeverityIndex) continue;
        this.#counts.severityKeyUnits[key] = (this.#counts.severityKeyUnits[key] ?? 0) + units;
        const bucket = `${key}@${second}`;
        const inSecond = (this.#perSecond.get(bucket) ?? 0) + units;
        this.#perSecond.set(bucket, inSecond);
        if (inSecond > this.#counts.severityKeyPeakPerSecond.units) this.#counts.severityKeyPeakPerSecond = { key, units: inSecond };
      }
    }
  }

  take(clusters: number): WriteCounts {
    const counts = this.#counts;
    this.#counts = WriteCounter.empty();
    this.#perSecond.clear();
    return { ...counts, requestsPerCluster: Math.round((counts.requests / Math.max(1, clusters)) * 100) / 100 };
  }
}

const writeCommands = new Set(['BatchWriteItemCommand', 'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand']);

class CountingPublisher implements EventPublisher {
  events = 0;
  async publish(events: unknown[]): Promise<void> {
    this.events += events.length;
  }
}

export async function fleetSection(options: FleetOptions): Promise<FleetResult> {
  const podsOf = options.podsOf ?? defaultFleetPods;
  const clusters = Array.from({ length: options.clusters }, (_, i) => ({
    name: `fleet-${String(i).padStart(4, '0')}`,
    profile: { pods: podsOf(i), seed: 1 + (i % 10) } satisfies ClusterProfile,
    latencyMs: options.latencyMs,
  }));
  const [kube, dynamo] = await Promise.all([
    startServices({ clusters, eks: { region, accountId } }),
    startServices({ dynamo: true }),
  ]);
  const clients: { destroy(): void }[] = [];
  try {
    const { eksUrl } = kube.ready;
    const { dynamoEndpoint } = dynamo.ready;
    if (!eksUrl || !dynamoEndpoint) throw new Error('the fleet services did not start');
    const credentials = async () => benchCredentials;
    const eks = new EKSClient({ endpoint: eksUrl, region, credentials, maxAttempts: 5 });
    const dynamoClient = new DynamoDBClient({ endpoint: dynamoEndpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 5 });
    clients.push(eks, dynamoClient);
    await ensureTable(dynamoClient);
    const writes = new WriteCounter();
    dynamoClient.middlewareStack.add(
      (next, context) => async (args) => {
        if (writeCommands.has(context.commandName ?? '')) writes.record(context.commandName ?? '', args.input as Record<string, unknown>);
        return next(args);
      },
      { step: 'build', name: 'benchWriteCounter' },
    );
    const access: AwsAccess = { credentials: () => credentials, eks: () => eks };
    const queue = new BenchQueue();
    const publisher = new CountingPublisher();
    const deps: ScanDeps & DiscoverDeps = {
      directory: new EksClusterDirectory(access),
      source: new EksSnapshotSource(access),
      evaluate,
      store: new FindingStore({ client: documentClientOf(dynamoClient) }),
      queue,
      publisher,
      clock: systemClock,
      logger: silentLogger,
      metrics: noMetrics,
    };

    const rounds: FleetRound[] = [];
    for (const label of ['first scan of every cluster', 'scheduled rescan (unchanged)']) {
      writes.take(0);
      const events = publisher.events;
      let inFlight = 0;
      let maxInFlight = 0;
      const started = performance.now();
      await discover([{ accountId, region }], deps);
      const discoverMs = performance.now() - started;
      const discoverWrites = writes.take(0).requests;
      const durations: number[] = [];
      let failed = 0;
      let opened = 0;
      const worker = async () => {
        for (let request = queue.pending.shift(); request; request = queue.pending.shift()) {
          const scanStarted = performance.now();
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          try {
            const result = await scanCluster(request, deps);
            if (result.outcome === 'scanned') opened += result.opened;
            else failed += 1;
          } catch {
            failed += 1;
          }
          inFlight -= 1;
          durations.push(performance.now() - scanStarted);
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
      const totalMs = performance.now() - started;
      rounds.push({
        label,
        discoverMs: Math.round(discoverMs),
        totalMs: Math.round(totalMs),
        scanned: durations.length - failed,
        failed,
        p50Ms: Math.round(percentile(durations, 50)),
        p95Ms: Math.round(percentile(durations, 95)),
        maxMs: Math.round(Math.max(0, ...durations)),
        findingsOpened: opened,
        events: publisher.events - events,
        maxInFlight,
        meanInFlight: Math.round((durations.reduce((sum, ms) => sum + ms, 0) / (totalMs - discoverMs)) * 10) / 10,
        discoverWriteRequests: discoverWrites,
        writes: writes.take(durations.length),
      });
    }
    return {
      clusters: options.clusters,
      pods: kube.ready.clusters.reduce((sum, cluster) => sum + cluster.pods, 0),
      concurrency: options.concurrency,
      latencyMs: options.latencyMs,
      listRequestsPerScan: collectedKinds.length,
      rounds,
    };
  } finally {
    for (const client of clients) client.destroy();
    await Promise.all([kube.stop(), dynamo.stop()]);
  }
}

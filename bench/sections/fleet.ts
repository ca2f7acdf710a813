// Fleet: N emulated EKS clusters (fake EKS API + one Kubernetes API emulator each, with latency on every request)
// discovered by the pipeline's `discover`, queued, and scanned by `scanCluster` with a fixed number of concurrent
// workers, through the same adapters the Lambda functions use (functions/adapters) and a DynamoDB table on
// dynalite. Two rounds: the first scan of every cluster (every finding written), then the scheduled rescan.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
}

export interface FleetResult {
  clusters: number;
  pods: number;
  concurrency: number;
  latencyMs: number;
  /** List requests of one scan of the smallest cluster (one page per kind): the floor set by the latency. */
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

class CountingPublisher implements EventPublisher {
  events = 0;
  async publish(events: unknown[]): Promise<void> {
    this.events += events.length;
  }
}

export async function fleetSection(options: FleetOptions): Promise<FleetResult> {
  const podsOf = options.podsOf ?? defaultFleetPods;
  const clusters = Array.from({ length: options.clusters }, (_, i) => ({
    name: `fleet-${String(i).padStart(3, '0')}`,
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
      const events = publisher.events;
      const started = performance.now();
      await discover([{ accountId, region }], deps);
      const discoverMs = performance.now() - started;
      const durations: number[] = [];
      let failed = 0;
      let opened = 0;
      const worker = async () => {
        for (let request = queue.pending.shift(); request; request = queue.pending.shift()) {
          const scanStarted = performance.now();
          try {
            const result = await scanCluster(request, deps);
            if (result.outcome === 'scanned') opened += result.opened;
            else failed += 1;
          } catch {
            failed += 1;
          }
          durations.push(performance.now() - scanStarted);
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
      rounds.push({
        label,
        discoverMs: Math.round(discoverMs),
        totalMs: Math.round(performance.now() - started),
        scanned: durations.length - failed,
        failed,
        p50Ms: Math.round(percentile(durations, 50)),
        p95Ms: Math.round(percentile(durations, 95)),
        maxMs: Math.round(Math.max(0, ...durations)),
        findingsOpened: opened,
        events: publisher.events - events,
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

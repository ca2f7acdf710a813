// The benchmark's stand-ins for the outside world, in their own process so the scan's memory and CPU are measured
// alone: Kubernetes API emulators serving synthetic clusters, the fake EKS API listing them, and dynalite.
// Started by bench/children.ts (startServices); configured by one IPC message, answers with the endpoints.
import dynalite from 'dynalite';
import type { AddressInfo } from 'node:net';
import type { AwsCredentials } from '../shared/eks/token.ts';
import { kindSpec } from '../shared/kube/kinds.ts';
import type { KubeObject } from '../shared/model/kube.ts';
import { startFakeEks, type FakeEks } from '../shared/sandbox/fake-eks/index.ts';
import { startKubeApi, type KubeApi } from '../shared/sandbox/kube-api/index.ts';
import { syntheticObjects, type ClusterProfile } from '../shared/sandbox/synthetic/cluster.ts';

export interface EmulatedCluster {
  name: string;
  profile: ClusterProfile;
  /** Delay on every Kubernetes API request. */
  latencyMs?: number;
}

export interface ServicesConfig {
  clusters?: EmulatedCluster[];
  /** Serve the clusters through a fake EKS API as well (discovery, DescribeCluster). */
  eks?: { region: string; accountId: string };
  dynamo?: boolean;
  credentials: AwsCredentials;
}

export interface ServedCluster {
  name: string;
  url: string;
  caData: string;
  objects: number;
  pods: number;
}

export interface ServicesReady {
  clusters: ServedCluster[];
  eksUrl?: string;
  dynamoEndpoint?: string;
  /** Peak RSS of this process after generating everything (what the emulators hold, not the scan). */
  rssMiB: number;
}

/** Objects sorted by kind and key, the order the emulator pages them in (its per-page sort is then linear). */
function sortedObjects(profile: ClusterProfile): KubeObject[] {
  const keyed: { key: string; object: KubeObject }[] = [];
  for (const object of syntheticObjects(profile)) {
    const metadata = object.metadata as { name: string; namespace?: string };
    const namespaced = kindSpec(String(object.kind))?.namespaced ?? false;
    keyed.push({ key: `${String(object.kind)}\u0000${namespaced ? `${metadata.namespace}/` : ''}${metadata.name}`, object });
  }
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ object }) => object);
}

async function start(config: ServicesConfig): Promise<{ ready: ServicesReady; stop: () => Promise<void> }> {
  const stops: (() => Promise<void>)[] = [];
  const served: ServedCluster[] = [];
  const apis: KubeApi[] = [];
  // Clusters with the same profile share one set of objects (the emulator only reads them).
  const cache = new Map<string, KubeObject[]>();
  for (const cluster of config.clusters ?? []) {
    const key = JSON.stringify(cluster.profile);
    let objects = cache.get(key);
    if (!objects) cache.set(key, (objects = sortedObjects(cluster.profile)));
    const api = await startKubeApi({
      objects,
      clusterName: cluster.name,
      region: config.eks?.region ?? 'us-east-1',
      credentials: [config.credentials],
      faults: cluster.latencyMs ? [{ effect: { type: 'latency', ms: cluster.latencyMs } }] : [],
    });
    apis.push(api);
    stops.push(() => api.stop());
    served.push({
      name: cluster.name,
      url: api.url,
      caData: api.caData,
      objects: objects.length,
      pods: objects.filter((object) => object.kind === 'Pod').length,
    });
  }
  const ready: ServicesReady = { clusters: served, rssMiB: 0 };
  if (config.eks) {
    const eks: FakeEks = await startFakeEks({
      region: config.eks.region,
      accountId: config.eks.accountId,
      clusters: served.map((cluster) => ({ name: cluster.name, endpoint: cluster.url, caData: cluster.caData })),
    });
    stops.push(() => eks.stop());
    ready.eksUrl = eks.url;
  }
  if (config.dynamo) {
    const server = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ready.dynamoEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  }
  ready.rssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  return { ready, stop: async () => void (await Promise.all(stops.map((stop) => stop()))) };
}

if (process.send) {
  let stop: (() => Promise<void>) | undefined;
  process.on('message', (message: { type: 'start'; config: ServicesConfig } | { type: 'stop' }) => {
    if (message.type === 'start') {
      start(message.config).then(
        (started) => {
          stop = started.stop;
          process.send?.({ type: 'ready', ready: started.ready });
        },
        (error: unknown) => process.send?.({ type: 'error', error: error instanceof Error ? error.stack : String(error) }),
      );
    } else {
      void (stop?.() ?? Promise.resolve()).finally(() => process.exit(0));
    }
  });
  // The parent went away: nothing is left to serve.
  process.on('disconnect', () => process.exit(0));
}

// Measures a 10,000-object snapshot against the Kubernetes API emulator: wall time, pages, requests, retries and
// memory, once on a clean server and once with injected faults (429 with Retry-After, 500, reset, truncated body,
// an expired continue token). Run: npx node scripts/bench-snapshot.ts [objects]
import { eksTokenProvider } from '../shared/eks/index.ts';
import { collectSnapshot, createKubeClient, kubeConfigForEndpoint } from '../shared/kube/index.ts';
import { startKubeApi, type Fault } from '../shared/sandbox/kube-api/index.ts';
import { syntheticCluster } from '../shared/sandbox/kube-api/synthetic.ts';

const total = Number(process.argv[2] ?? 10_000);
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };
const objects = syntheticCluster({ objects: total });
const api = await startKubeApi({ objects, clusterName: 'bench', region: 'us-east-1', credentials: [credentials] });

const faults: Fault[] = [
  { kind: 'Pod', nth: 3, effect: { type: 'status', status: 429, retryAfterSeconds: 1 } },
  { kind: 'Pod', nth: 6, effect: { type: 'status', status: 410 } },
  { kind: 'ConfigMap', nth: 1, effect: { type: 'reset' } },
  { kind: 'Secret', nth: 1, effect: { type: 'status', status: 500 } },
  { kind: 'Deployment', nth: 2, effect: { type: 'truncate' } },
  { kind: 'Namespace', effect: { type: 'latency', ms: 20 } },
];

async function run(label: string, runFaults: Fault[]) {
  api.setFaults(runFaults);
  const tokens = eksTokenProvider({ clusterName: 'bench', region: 'us-east-1', credentials });
  const client = createKubeClient({
    kubeConfig: kubeConfigForEndpoint({ name: 'bench', server: api.url, caData: api.caData }, tokens),
    renewCredentials: () => tokens.invalidate(),
  });
  const since = api.requests.length;
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const snapshot = await collectSnapshot({ client, cluster: { id: 'bench', name: 'bench', source: 'eks' } });
  const wallMs = performance.now() - started;
  const heapAfter = process.memoryUsage().heapUsed;
  const kept = Object.values(snapshot.objects).reduce((sum, list) => sum + (list?.length ?? 0), 0);
  const incomplete = Object.entries(snapshot.coverage).filter(([, coverage]) => !coverage.complete);
  const requests = api.requests.slice(since);
  const result = {
    run: label,
    objectsServed: objects.length,
    objectsKept: kept,
    pods: snapshot.objects.Pod?.length ?? 0,
    wallMs: Math.round(wallMs),
    requests: client.stats.requests,
    pages: client.stats.pages,
    retries: client.stats.retries,
    listRestarts: requests.filter((request) => request.outcome === 'expired' || request.status === 410).length,
    incompleteKinds: incomplete.length,
    snapshotJsonKiB: Math.round(Buffer.byteLength(JSON.stringify(snapshot)) / 1024),
    heapGrowthMiB: Math.round(((heapAfter - heapBefore) / 1024 / 1024) * 10) / 10,
  };
  console.log(JSON.stringify(result));
  return result;
}

try {
  await run('warm-up', []);
  const clean = await run('clean', []);
  const faulty = await run('faults', faults);
  console.log(
    `\n${total} objects, page limit 500: clean ${clean.wallMs} ms (${clean.pages} pages, ${clean.retries} retries); ` +
      `with faults ${faulty.wallMs} ms (${faulty.pages} pages, ${faulty.retries} retries, ${faulty.listRestarts} list restart, ` +
      `including a 1 s Retry-After).`,
  );
} finally {
  await api.stop();
}

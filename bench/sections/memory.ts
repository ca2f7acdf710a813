// Memory: the peak RSS of one scan (collect, evaluate, reconcile) in a fresh process per cluster size, the
// emulator in another, so the figure is the scanner's alone; and how it grows with the number of pods. Then the two
// streams: one huge list page read (item by item, against the whole body buffered as before) and the JSON report of
// many findings written (a finding at a time, against one string as before), each in a fresh process.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateTls } from '../../shared/sandbox/tls.ts';
import { round, runChild, startServices } from '../children.ts';
import type { ScanChildResult } from '../scan-child.ts';
import type { StreamingChildResult } from '../streaming-child.ts';

export interface MemoryOptions {
  /** Cluster sizes in pods, smallest first. */
  sizes: number[];
  /** The size of the one list page read, in MiB (0: not measured). */
  bigPageMiB?: number;
  /** Findings in the JSON report written (0: not measured). */
  reportFindings?: number;
}

export interface MemoryPoint extends ScanChildResult {
  /** Pods in the cluster (served), workloads written by people. */
  clusterPods: number;
  /** Peak RSS above the process's start (modules loaded): what the scan itself added. */
  scanRssMiB: number;
  /** evaluateMs ÷ (collectMs + evaluateMs): evaluation's share of the scan. */
  evaluateShare: number;
  /** Objects kept ÷ evaluation time. */
  objectsPerSecond: number;
}

export interface MemoryResult {
  points: MemoryPoint[];
  /** From the smallest size to the largest: how many times more pods, and how many times more scan memory. */
  podsGrowth: number;
  peakRssGrowth: number;
  scanRssGrowth: number;
  /** Marginal memory per pod between the two largest sizes, in KiB. */
  marginalKiBPerPod: number;
  /** One list page of `bigPageMiB`, read streamed and buffered. */
  bigPage?: { mib: number; streamed: StreamingChildResult; buffered: StreamingChildResult };
  /** The JSON report of `reportFindings` findings, written streamed and as one string. */
  jsonReport?: { findings: number; streamed: StreamingChildResult; whole: StreamingChildResult };
}

export async function memorySection(options: MemoryOptions): Promise<MemoryResult> {
  const points: MemoryPoint[] = [];
  for (const pods of options.sizes) {
    const services = await startServices({ clusters: [{ name: `memory-${pods}`, profile: { pods } }] });
    try {
      const cluster = services.ready.clusters[0];
      if (!cluster) throw new Error('no emulated cluster');
      const result = await runChild<ScanChildResult>('scan-child.ts', [JSON.stringify(cluster)]);
      points.push({
        ...result,
        clusterPods: cluster.pods,
        scanRssMiB: result.peakRssMiB - result.startRssMiB,
        evaluateShare: round(result.evaluateMs / (result.collectMs + result.evaluateMs), 2),
        objectsPerSecond: Math.round(result.objects / (result.evaluateMs / 1000)),
      });
    } finally {
      await services.stop();
    }
  }
  const first = points[0];
  const last = points.at(-1);
  const before = points.at(-2);
  if (!first || !last) throw new Error('memorySection needs at least one size');
  let bigPage: MemoryResult['bigPage'];
  if (options.bigPageMiB) {
    const server = await bigPageServer(options.bigPageMiB * 2 ** 20);
    try {
      const run = (how: string) => streamingChild(['page', server.url, Buffer.from(server.caPem).toString('base64'), how]);
      bigPage = { mib: options.bigPageMiB, streamed: await run('streamed'), buffered: await run('buffered') };
    } finally {
      await server.stop();
    }
  }
  let jsonReport: MemoryResult['jsonReport'];
  if (options.reportFindings) {
    const run = (how: string) => streamingChild(['findings', String(options.reportFindings), how]);
    jsonReport = { findings: options.reportFindings, streamed: await run('streamed'), whole: await run('whole') };
  }
  return {
    ...(bigPage ? { bigPage } : {}),
    ...(jsonReport ? { jsonReport } : {}),
    points,
    podsGrowth: round(last.clusterPods / first.clusterPods, 1),
    peakRssGrowth: round(last.peakRssMiB / first.peakRssMiB, 2),
    scanRssGrowth: round(last.scanRssMiB / Math.max(1, first.scanRssMiB), 1),
    marginalKiBPerPod:
      before && before !== last ? round(((last.peakRssMiB - before.peakRssMiB) * 1024) / (last.clusterPods - before.clusterPods), 2) : 0,
  };
}

/** A streaming child's result; a child that died (out of memory: the way before, at the largest sizes) is a result
 * too, with the reason. */
async function streamingChild(args: string[]): Promise<StreamingChildResult> {
  try {
    return await runChild<StreamingChildResult>('streaming-child.ts', args);
  } catch (error) {
    return { mode: args.join(' '), startRssMiB: 0, peakRssMiB: 0, count: 0, bytes: 0, ms: 0, error: `the process died: ${(error as Error).message}` };
  }
}

/** An HTTPS server answering every request with one PodList page of about `bytes`, generated as it is sent (with
 * backpressure), so the server itself holds one pod at a time. */
async function bigPageServer(bytes: number): Promise<{ url: string; caPem: string; stop: () => Promise<void> }> {
  const tls = generateTls();
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    let sent = 0;
    let index = 0;
    const next = () => {
      if (index === 0) sent += write('{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[');
      while (sent < bytes) {
        const text = (index === 0 ? '' : ',') + JSON.stringify(benchPod(index));
        const ok = response.write(text);
        sent += text.length;
        index += 1;
        if (!ok) return void response.once('drain', next);
      }
      response.end(']}');
    };
    const write = (text: string) => (response.write(text), text.length);
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caPem: tls.caPem,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A pod as an API server lists it: about 1.5 kB of JSON. */
function benchPod(index: number) {
  const name = `web-${index.toString(36)}`;
  return {
    metadata: {
      name,
      namespace: `team-${index % 200}`,
      uid: `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`,
      resourceVersion: String(index),
      labels: { app: 'web', 'pod-template-hash': '5d9c8f7b6c', team: `team-${index % 200}` },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d9c8f7b6c', uid: 'rs-uid', controller: true }],
    },
    spec: {
      serviceAccountName: 'web',
      nodeName: `ip-10-0-${index % 250}-${index % 200}.eu-west-1.compute.internal`,
      containers: [
        {
          name: 'app',
          image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:' + 'a'.repeat(64),
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'REGION', value: 'eu-west-1' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
          volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
        },
      ],
      volumes: [{ name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } }],
    },
    status: { phase: 'Running', podIP: `10.1.${index % 250}.${index % 200}`, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

// The snapshot collector and its node:https client against the Kubernetes API emulator over HTTPS.
import { describe, expect, it } from 'vitest';
import { eksTokenProvider } from '../../shared/eks/index.ts';
import {
  collectSnapshot,
  collectedKinds,
  createKubeClient,
  kubeConfigForEndpoint,
  REDACTED_VALUE,
  type KindProgress,
  type KubeClient,
} from '../../shared/kube/index.ts';
import type { ClusterRef } from '../../shared/model/cluster.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import { startKubeApi, type Fault } from '../../shared/sandbox/kube-api/index.ts';
import { syntheticCluster } from '../../shared/sandbox/kube-api/synthetic.ts';
import { clusterName, credentials, region, scanClient, useEmulator } from './emulator-harness.ts';
const cluster: ClusterRef = { id: `arn:aws:eks:${region}:111122223333:cluster/${clusterName}`, name: clusterName, region, source: 'eks' };
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** A small cluster: synthetic namespaces plus the objects the shaping rules are about. */
function clusterObjects(): KubeObject[] {
  return [
    ...syntheticCluster({ objects: 140 }),
    {
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: 'payments',
        uid: 'secret-db',
        labels: { app: 'db' },
        annotations: { [LAST_APPLIED]: '{"data":{"password":"c3VwZXItc2VjcmV0"}}', owner: 'team-payments' },
        managedFields: [{ manager: 'kubectl' }],
      },
      type: 'Opaque',
      data: { password: 'c3VwZXItc2VjcmV0' },
      stringData: { token: 'super-secret' },
    },
    {
      kind: 'ConfigMap',
      metadata: { name: 'aws-auth', namespace: 'kube-system', uid: 'cm-aws-auth' },
      data: { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/admin\n  groups: [system:masters]\n' },
    },
    {
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'payments', uid: 'cm-settings', annotations: { [LAST_APPLIED]: '{"data":{"API_KEY":"abc"}}' } },
      data: { API_KEY: 'sk_live_abcdef', MODE: 'prod', DASHBOARD: 'x'.repeat(5000) },
      binaryData: { blob: 'AAEC' },
    },
    { kind: 'Pod', metadata: { name: 'debug', namespace: 'payments', uid: 'pod-debug' }, spec: { containers: [{ name: 'sh', image: 'busybox', securityContext: { privileged: true } }] } },
    {
      kind: 'Pod',
      metadata: {
        name: 'orphan-of-missing-rs',
        namespace: 'payments',
        uid: 'pod-orphan',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: 'rs-gone', controller: true }],
      },
      spec: { containers: [{ name: 'app', image: 'app:1' }] },
    },
    {
      kind: 'CustomResourceDefinition',
      metadata: { name: 'clusterpolicies.kyverno.io', uid: 'crd-kyverno' },
      spec: { group: 'kyverno.io', scope: 'Cluster', names: { kind: 'ClusterPolicy', plural: 'clusterpolicies' }, versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object' } } }] },
    },
    { kind: 'ValidatingWebhookConfiguration', metadata: { name: 'kyverno-resource-validating-webhook-cfg', uid: 'vwc-1' }, webhooks: [{ name: 'validate.kyverno.svc', failurePolicy: 'Fail' }] },
    { kind: 'Node', metadata: { name: 'ip-10-0-1-10.eu-west-1.compute.internal', uid: 'node-1' }, status: { nodeInfo: { kubeletVersion: 'v1.31.2-eks' } } },
  ];
}

const objects = clusterObjects();
const countOf = (kind: string) => objects.filter((object) => object.kind === kind).length;
const emulator = useEmulator(objects);
const harness = () => scanClient(emulator());

function requestsFor(kind: string, since: number) {
  return emulator().requests.slice(since).filter((request) => request.kind === kind);
}

describe('collectSnapshot against the emulator', () => {
  it('reads every kind over several pages, completely', async () => {
    const { client } = harness();
    const since = emulator().requests.length;
    const progress: KindProgress[] = [];
    const snapshot = await collectSnapshot({ client, cluster, pageLimit: 7, onProgress: (event) => progress.push(event) });

    for (const spec of collectedKinds) {
      expect(snapshot.coverage[spec.kind], spec.kind).toEqual({ complete: true, count: countOf(spec.kind) });
      expect(snapshot.objects[spec.kind]).toHaveLength(countOf(spec.kind));
    }
    expect(countOf('Pod')).toBeGreaterThan(14);
    const podPages = requestsFor('Pod', since);
    expect(podPages).toHaveLength(Math.ceil(countOf('Pod') / 7));
    expect(podPages.every((request) => request.path.includes('limit=7'))).toBe(true);
    expect(podPages.slice(1).every((request) => request.path.includes('continue='))).toBe(true);
    expect(client.stats).toMatchObject({ retries: 0, renewals: 0 });
    expect(client.stats.pages).toBe(emulator().requests.length - since);
    // Names are unique and ordered as listed: no page was read twice.
    const podNames = snapshot.objects.Pod!.map((pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`);
    expect(new Set(podNames).size).toBe(podNames.length);
    // Every list item gets its kind and apiVersion back (the API server omits them in lists).
    expect(snapshot.objects.Deployment![0]).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
    const done = progress.filter((event) => event.phase === 'done');
    expect(done.map((event) => event.kind)).toEqual(collectedKinds.map((spec) => spec.kind));
    expect(progress.some((event) => event.kind === 'Pod' && event.phase === 'page' && event.pages === 2)).toBe(true);
  });

  it('lists controllers before pods and keeps only a summary of pods they own', async () => {
    const snapshot = await collectSnapshot({ client: harness().client, cluster });
    const order = collectedKinds.map((spec) => spec.kind);
    for (const controller of ['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']) {
      expect(order.indexOf(controller)).toBeLessThan(order.indexOf('Pod'));
    }
    const pods = snapshot.objects.Pod!;
    const replica = pods.find((pod) => pod.metadata?.ownerReferences?.[0]?.name === 'app-0-5d8f')!;
    expect(replica).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'app-0-5d8f-0',
        namespace: 'team-0000',
        uid: 'pod-team-0000-app-0-0',
        labels: { app: 'app-0' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'app-0-5d8f', uid: 'rs-team-0000-app-0', controller: true }],
      },
      spec: { serviceAccountName: 'app', nodeName: 'node-0' },
      status: { phase: 'Running' },
    });
    // A bare pod and a pod whose owner is not in the snapshot are kept whole: rules must judge them directly.
    expect(pods.find((pod) => pod.metadata?.name === 'debug')?.spec).toMatchObject({ containers: [{ securityContext: { privileged: true } }] });
    expect(pods.find((pod) => pod.metadata?.name === 'orphan-of-missing-rs')?.spec).toMatchObject({ containers: [{ name: 'app' }] });
  });

  it('asks for secrets metadata-only and keeps no secret value', async () => {
    const since = emulator().requests.length;
    const snapshot = await collectSnapshot({ client: harness().client, cluster });
    expect(requestsFor('Secret', since).every((request) => request.metadataOnly === true)).toBe(true);
    expect(requestsFor('ConfigMap', since).every((request) => request.metadataOnly === false)).toBe(true);
    const secret = snapshot.objects.Secret!.find((object) => object.metadata?.name === 'db');
    expect(secret).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'payments', uid: 'secret-db', labels: { app: 'db' }, annotations: { owner: 'team-payments' } },
    });
  });

  it('keeps no secret value even when the server ignores the metadata-only request', async () => {
    const leaky = await startKubeApi({ objects, clusterName, region, credentials: [credentials], honourMetadataOnly: false });
    try {
      const tokens = eksTokenProvider({ clusterName, region, credentials });
      const client = createKubeClient({ kubeConfig: kubeConfigForEndpoint({ name: clusterName, server: leaky.url, caData: leaky.caData }, tokens) });
      const snapshot = await collectSnapshot({ client, cluster });
      expect(leaky.requests.find((request) => request.kind === 'Secret')?.metadataOnly).toBe(false);
      const serialized = JSON.stringify(snapshot);
      expect(serialized).not.toContain('c3VwZXItc2VjcmV0');
      expect(serialized).not.toContain('super-secret');
      expect(serialized).not.toContain(Buffer.from('pw-team-0000').toString('base64'));
      for (const secret of snapshot.objects.Secret!) {
        expect(Object.keys(secret).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
      }
    } finally {
      await leaky.stop();
    }
  });

  it('holds short configmap values in memory for the checks, but no long value, binary data or last-applied copy', async () => {
    const snapshot = await collectSnapshot({ client: harness().client, cluster });
    const configMaps = snapshot.objects.ConfigMap!;
    const settings = configMaps.find((object) => object.metadata?.name === 'settings')!;
    expect(settings.data).toEqual({ API_KEY: 'sk_live_abcdef', MODE: 'prod', DASHBOARD: REDACTED_VALUE });
    expect(settings.binaryData).toEqual({ blob: REDACTED_VALUE });
    expect(settings.metadata?.annotations).toEqual({});
    const awsAuth = configMaps.find((object) => object.metadata?.name === 'aws-auth')!;
    expect(awsAuth.data).toEqual({ mapRoles: expect.stringContaining('system:masters') });
  });

  it('keeps only the names of custom resource definitions, and drops managedFields everywhere', async () => {
    const snapshot = await collectSnapshot({ client: harness().client, cluster });
    expect(snapshot.objects.CustomResourceDefinition).toEqual([
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'clusterpolicies.kyverno.io', uid: 'crd-kyverno' },
        spec: { group: 'kyverno.io', scope: 'Cluster', names: { kind: 'ClusterPolicy', plural: 'clusterpolicies' } },
      },
    ]);
    expect(JSON.stringify(snapshot)).not.toContain('managedFields');
  });

  it('carries the cluster facts and EKS coverage it was given', async () => {
    const snapshot = await collectSnapshot({
      client: harness().client,
      cluster,
      clusterInfo: { name: clusterName, version: '1.31' },
      coverage: { 'eks:DescribeCluster': { complete: true, count: 1 } },
      clock: () => new Date('2026-03-01T10:00:00Z'),
    });
    expect(snapshot.clusterInfo).toEqual({ name: clusterName, version: '1.31' });
    expect(snapshot.coverage['eks:DescribeCluster']).toEqual({ complete: true, count: 1 });
    expect(snapshot.takenAt).toBe('2026-03-01T10:00:00.000Z');
  });

  it('records skipped kinds without listing them', async () => {
    const since = emulator().requests.length;
    const snapshot = await collectSnapshot({ client: harness().client, cluster, skipKinds: ['Secret'] });
    expect(snapshot.coverage.Secret).toEqual({ complete: false, count: 0, error: 'skipped: Secret not listed by configuration' });
    expect(requestsFor('Secret', since)).toHaveLength(0);
  });
});

describe('collectSnapshot lists kinds concurrently', () => {
  /** The client with the largest number of its list requests in flight at once recorded. */
  function counting(client: KubeClient) {
    const seen = { inFlight: 0, most: 0 };
    const wrapped: KubeClient = {
      server: client.server,
      stats: client.stats,
      async listPage(path, query, options) {
        seen.inFlight += 1;
        seen.most = Math.max(seen.most, seen.inFlight);
        try {
          return await client.listPage(path, query, options);
        } finally {
          seen.inFlight -= 1;
        }
      },
    };
    return { client: wrapped, seen };
  }

  async function run(concurrency: number, faults: Fault[] = []) {
    emulator().setFaults([{ effect: { type: 'latency', ms: 15 } }, ...faults]);
    const progress: KindProgress[] = [];
    const { client, seen } = counting(harness().client);
    const snapshot = await collectSnapshot({ client, cluster, pageLimit: 7, concurrency, clock: () => new Date(0), onProgress: (event) => progress.push(event) });
    return { snapshot, progress, most: seen.most };
  }

  it('gives the snapshot and the progress events of a sequential collection, with at most `concurrency` lists at once', async () => {
    const sequential = await run(1);
    const parallel = await run(5);
    expect(sequential.most).toBe(1);
    expect(parallel.most).toBe(5);
    expect(JSON.stringify(parallel.snapshot)).toBe(JSON.stringify(sequential.snapshot));
    expect(parallel.progress).toEqual(sequential.progress);
    expect(parallel.progress.filter((event) => event.phase === 'done').map((event) => event.kind)).toEqual(collectedKinds.map((spec) => spec.kind));
  });

  it('summarises pods against every controller, which are all listed before the pods', async () => {
    const { snapshot } = await run(8);
    const owned = snapshot.objects.Pod!.filter((pod) => pod.metadata?.ownerReferences?.some((owner) => owner.kind === 'ReplicaSet' && owner.name !== 'gone'));
    expect(owned.length).toBeGreaterThan(0);
    expect(owned.every((pod) => !Object.hasOwn(pod.spec ?? {}, 'containers'))).toBe(true);
  });

  it('after a fatal failure, marks the kinds after it as a sequential collection would, and keeps those before it', async () => {
    // A 401 on deployments, with no way to renew the token: every later kind fails the same way.
    const unrenewable = async (concurrency: number) => {
      const api = emulator();
      api.setFaults([{ effect: { type: 'latency', ms: 15 } }, { kind: 'Deployment', effect: { type: 'status', status: 401 } }]);
      const tokens = eksTokenProvider({ clusterName, region, credentials });
      const client = createKubeClient({ endpoint: { name: clusterName, server: api.url, caData: api.caData }, tokens, renewCredentials: () => {} });
      const progress: KindProgress[] = [];
      const snapshot = await collectSnapshot({ client, cluster, pageLimit: 7, concurrency, clock: () => new Date(0), onProgress: (event) => progress.push(event) });
      return { snapshot, progress };
    };
    const sequential = await unrenewable(1);
    const parallel = await unrenewable(6);
    expect(parallel.snapshot).toEqual(sequential.snapshot);
    expect(parallel.progress).toEqual(sequential.progress);
    const deployment = collectedKinds.findIndex((spec) => spec.kind === 'Deployment');
    for (const [position, spec] of collectedKinds.entries()) {
      const coverage = parallel.snapshot.coverage[spec.kind];
      if (position < deployment) expect(coverage, spec.kind).toEqual({ complete: true, count: countOf(spec.kind) });
      else if (position > deployment) expect(coverage?.error, spec.kind).toMatch(/^failed: not listed after an earlier failure \(unauthorized \(401\)/);
    }
  });

  it('refuses a concurrency that is not a whole number of at least 1', async () => {
    await expect(collectSnapshot({ client: harness().client, cluster, concurrency: 0 })).rejects.toThrow(/concurrency must be a whole number of at least 1, not 0/);
  });
});

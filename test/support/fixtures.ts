// Small builders of Kubernetes objects for tests: the smallest valid object, with overrides merged in.
import type { ClusterRef } from '../../shared/model/cluster.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';

type Json = Record<string, unknown>;

export function container(overrides: Json = {}): Json {
  return { name: 'app', image: 'registry.example.com/app:1.2.3', ...overrides };
}

/** A pod spec that passes every workload rule; tests break one thing at a time. */
export function hardenedPodSpec(overrides: Json = {}): Json {
  return {
    automountServiceAccountToken: false,
    serviceAccountName: 'app',
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      container({
        image: 'registry.example.com/app:1.2.3@sha256:' + 'a'.repeat(64),
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      }),
    ],
    ...overrides,
  };
}

function meta(name: string, namespace: string | undefined, extra: Json = {}): Json {
  return namespace === undefined ? { name, ...extra } : { name, namespace, ...extra };
}

export interface WorkloadOptions {
  name?: string;
  namespace?: string;
  spec?: Json;
  metadata?: Json;
  templateMetadata?: Json;
}

export function pod(options: WorkloadOptions = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(options.name ?? 'web', options.namespace ?? 'shop', options.metadata),
    spec: options.spec ?? hardenedPodSpec(),
  };
}

function templated(apiVersion: string, kind: string, options: WorkloadOptions, extraSpec: Json = {}): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: meta(options.name ?? 'web', options.namespace ?? 'shop', options.metadata),
    spec: {
      ...extraSpec,
      template: {
        metadata: { labels: { app: options.name ?? 'web' }, ...options.templateMetadata },
        spec: options.spec ?? hardenedPodSpec(),
      },
    },
  };
}

const selector = (options: WorkloadOptions): Json => ({ selector: { matchLabels: { app: options.name ?? 'web' } } });

export const deployment = (o: WorkloadOptions = {}): KubeObject =>
  templated('apps/v1', 'Deployment', o, { replicas: 2, ...selector(o) });
export const replicaSet = (o: WorkloadOptions = {}): KubeObject =>
  templated('apps/v1', 'ReplicaSet', o, { replicas: 2, ...selector(o) });
export const statefulSet = (o: WorkloadOptions = {}): KubeObject =>
  templated('apps/v1', 'StatefulSet', o, { replicas: 1, serviceName: o.name ?? 'web', ...selector(o) });
export const daemonSet = (o: WorkloadOptions = {}): KubeObject => templated('apps/v1', 'DaemonSet', o, selector(o));
export const job = (o: WorkloadOptions = {}): KubeObject => templated('batch/v1', 'Job', o);
export const replicationController = (o: WorkloadOptions = {}): KubeObject =>
  templated('v1', 'ReplicationController', o, { replicas: 1, selector: { app: o.name ?? 'web' } });

export function cronJob(options: WorkloadOptions = {}): KubeObject {
  const inner = templated('batch/v1', 'Job', options);
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta(options.name ?? 'web', options.namespace ?? 'shop', options.metadata),
    spec: { schedule: '*/5 * * * *', jobTemplate: { spec: inner.spec } },
  };
}

export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** A LimitRange with one `Container` item (`default`, `defaultRequest`, `max`...); no namespace when undefined. */
export function limitRange(namespace: string | undefined, item: Json): KubeObject {
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: meta('defaults', namespace), spec: { limits: [{ type: 'Container', ...item }] } };
}

export const testCluster: ClusterRef = { id: 'manifests:test', name: 'test', source: 'manifests' };

/** A snapshot holding these objects, every kind complete. */
export function snapshotOf(objects: readonly KubeObject[], extra: Partial<Snapshot> = {}): Snapshot {
  const byKind: Record<string, KubeObject[]> = {};
  for (const object of objects) (byKind[String(object.kind)] ??= []).push(object);
  const coverage = Object.fromEntries(
    Object.entries(byKind).map(([kind, list]) => [kind, { complete: true, count: list.length }]),
  );
  return { cluster: testCluster, objects: byKind, coverage, takenAt: '2026-01-01T00:00:00.000Z', ...extra };
}

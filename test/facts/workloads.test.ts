import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../../shared/engine/snapshot-index.ts';
import { namespacesWithWorkloads, podLabelsOf, workloadLabel, workloadsIn } from '../../shared/facts/workloads.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import { cronJob, deployment, pod, replicaSet, snapshotOf } from '../support/fixtures.ts';

describe('podLabelsOf', () => {
  it('reads the labels of the pod template, string values only', () => {
    expect(podLabelsOf(deployment({ name: 'api' }))).toEqual({ app: 'api' });
    expect(podLabelsOf(cronJob({ templateMetadata: { labels: { app: 'batch', replicas: 3 } } }))).toEqual({ app: 'batch' });
    expect(podLabelsOf(pod({ metadata: { labels: { app: 'web' } } }))).toEqual({ app: 'web' });
    expect(podLabelsOf({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { app: 'web' } } })).toEqual({});
  });
});

describe('workloadsIn and namespacesWithWorkloads', () => {
  const owner = deployment({ name: 'web' });
  const owned: KubeObject = { ...replicaSet({ name: 'web-1' }), metadata: { name: 'web-1', namespace: 'shop', ownerReferences: [{ kind: 'Deployment', name: 'web' }] } };
  const orphan = pod({ name: 'debug' });
  const elsewhere = deployment({ name: 'worker', namespace: 'batch' });
  const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: {} };
  const index = new SnapshotIndex(snapshotOf([owner, owned, orphan, elsewhere, service]));

  it('lists the top-level workloads of a namespace: an owned ReplicaSet is its Deployment', () => {
    expect(workloadsIn(index, 'shop').map(workloadLabel).sort()).toEqual(['Deployment/web', 'Pod/debug']);
    expect(workloadsIn(index, 'nowhere')).toEqual([]);
  });

  it('names the namespaces that run workloads, sorted', () => {
    expect(namespacesWithWorkloads(index)).toEqual(['batch', 'shop']);
  });
});

describe('workloadLabel', () => {
  it('is Kind/name', () => {
    expect(workloadLabel(deployment({ name: 'api' }))).toBe('Deployment/api');
    expect(workloadLabel({ apiVersion: 'v1', kind: 'Pod' })).toBe('Pod/');
  });
});

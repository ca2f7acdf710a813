// Pods whose controller is not in the snapshot are judged once per owner and reported on it (the ReplicaSet's
// Deployment when the names and pod-template-hash match), so a rollout caught between two lists does not flap.
import { describe, expect, it } from 'vitest';
import { runRules } from '../../shared/engine/run.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import privileged from '../../shared/rules/workload/privileged-container.ts';
import { reconcile } from '../../shared/store/reconcile.ts';
import { container, deployment, pod, replicaSet, snapshotOf } from '../support/fixtures.ts';

const privilegedSpec = { containers: [container({ securityContext: { privileged: true } })] };

function owned(object: KubeObject, owner: { apiVersion: string; kind: string; name: string; uid: string }, labels: Record<string, string> = {}): KubeObject {
  return { ...object, metadata: { ...object.metadata, labels, ownerReferences: [{ ...owner, controller: true }] } };
}

const web = deployment({ name: 'web', spec: privilegedSpec, metadata: { uid: 'dep-web' } });
const deploymentRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-web' };
const newRs = owned(replicaSet({ name: 'web-7c9f', spec: privilegedSpec, metadata: { uid: 'rs-new' } }), deploymentRef, { 'pod-template-hash': '7c9f' });
const newRsRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7c9f', uid: 'rs-new' };
const replicas = Array.from({ length: 3 }, (_, i) => owned(pod({ name: `web-7c9f-${i}`, spec: privilegedSpec }), newRsRef, { 'pod-template-hash': '7c9f' }));

const resources = (objects: KubeObject[]) =>
  runRules(snapshotOf(objects), [privileged]).findings.map((f) => `${f.resource.kind}/${f.resource.namespace}/${f.resource.name}`);

describe('pods whose controller is not in the snapshot', () => {
  it('gives one finding per missing ReplicaSet, on its Deployment when the name and pod-template-hash match', () => {
    expect(resources(replicas)).toEqual(['Deployment/shop/web']);
  });

  it('keeps the ReplicaSet when its name does not end in the pod-template-hash', () => {
    const mismatched = replicas.map((replica) => ({ ...replica, metadata: { ...replica.metadata, labels: { 'pod-template-hash': 'other' } } }));
    expect(resources(mismatched)).toEqual(['ReplicaSet/shop/web-7c9f']);
  });

  it('attributes pods of a kind that is not listed to their owner', () => {
    const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'checkout', uid: 'ro-1' };
    const pods = Array.from({ length: 4 }, (_, i) => owned(pod({ name: `checkout-${i}`, spec: privilegedSpec }), rollout));
    const { findings, evaluated } = runRules(snapshotOf(pods), [privileged]);
    expect(findings.map((f) => f.resource)).toEqual([{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', namespace: 'shop', name: 'checkout', container: 'app' }]);
    expect(evaluated).toBe(1);
  });

  it('judges a bare pod, and a mirror pod owned by its node, as themselves', () => {
    const mirror = owned(pod({ name: 'static-1', spec: privilegedSpec }), { apiVersion: 'v1', kind: 'Node', name: 'ip-10-0-0-1', uid: 'n-1' });
    expect(resources([pod({ name: 'debug', spec: privilegedSpec }), mirror]).sort()).toEqual(['Pod/shop/debug', 'Pod/shop/static-1']);
  });

  it('a rollout caught between the ReplicaSet list and the pod list: the next scan opens and resolves nothing', () => {
    // Scan 1: the new ReplicaSet was created after the ReplicaSets were listed; its pods were listed.
    const raced = runRules(snapshotOf([web, ...replicas]), [privileged]);
    // Scan 2: everything listed; the replicas are judged through the ReplicaSet's Deployment.
    const settled = runRules(snapshotOf([web, newRs, ...replicas]), [privileged]);
    expect(raced.findings.map((f) => f.fingerprint)).toEqual(settled.findings.map((f) => f.fingerprint));
    expect(raced.findings.map((f) => f.resource.kind)).toEqual(['Deployment']);
    const first = reconcile([], raced.findings, {}, { scannedAt: '2026-01-01T00:00:00.000Z' });
    expect(first.opened).toHaveLength(1);
    const second = reconcile(first.active, settled.findings, {}, { scannedAt: '2026-01-01T01:00:00.000Z', committedAt: first.scannedAt });
    expect({ opened: second.opened.length, resolved: second.resolved.length, reopened: second.reopened.length }).toEqual({ opened: 0, resolved: 0, reopened: 0 });
    expect(second.unchanged.map((f) => f.fingerprint)).toEqual(first.opened.map((f) => f.fingerprint));
  });

  it('the same race with the Deployment missing too: one finding that the settled scan keeps', () => {
    const raced = runRules(snapshotOf(replicas), [privileged]);
    const settled = runRules(snapshotOf([web, newRs, ...replicas]), [privileged]);
    expect(raced.findings.map((f) => f.fingerprint)).toEqual(settled.findings.map((f) => f.fingerprint));
  });
});

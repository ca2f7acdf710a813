import { describe, expect, it } from 'vitest';
import { defineRule } from '../../shared/engine/rule.ts';
import { engineErrorRuleId, runRules } from '../../shared/engine/run.ts';
import { workloadKinds, type KubeObject } from '../../shared/model/kube.ts';
import { findingSchema } from '../../shared/model/finding.ts';
import privileged from '../../shared/rules/workload/privileged-container.ts';
import { container, deployment, pod, replicaSet, snapshotOf } from '../support/fixtures.ts';

const privilegedSpec = { containers: [container({ securityContext: { privileged: true } })] };

function ownedBy(object: KubeObject, owner: KubeObject, uid?: string): KubeObject {
  const meta = object.metadata!;
  return {
    ...object,
    metadata: {
      ...meta,
      ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata!.name, controller: true, ...(uid ? { uid } : {}) }],
    },
  };
}

describe('runRules', () => {
  it('judges 50 replicas once, through their Deployment', () => {
    const dep = deployment({ spec: privilegedSpec });
    const rs = ownedBy(replicaSet({ name: 'web-abc', spec: privilegedSpec }), dep);
    const pods = Array.from({ length: 50 }, (_, i) => ownedBy(pod({ name: `web-abc-${i}`, spec: privilegedSpec }), rs));
    const { findings, evaluated } = runRules(snapshotOf([dep, rs, ...pods]), [privileged]);
    expect(findings.map((f) => `${f.resource.kind}/${f.resource.name}`)).toEqual(['Deployment/web']);
    expect(evaluated).toBe(1);
  });

  it('judges a pod itself when its controller is not in the snapshot', () => {
    const orphan = ownedBy(pod({ spec: privilegedSpec }), replicaSet({ name: 'gone' }));
    expect(runRules(snapshotOf([orphan]), [privileged]).findings).toHaveLength(1);
  });

  it('does not take an owner of the same name but another uid', () => {
    const rs = replicaSet({ name: 'web-abc', metadata: { uid: 'u-1' } });
    const stale = ownedBy(pod({ spec: privilegedSpec }), rs, 'u-0');
    expect(runRules(snapshotOf([rs, stale]), [privileged]).findings.map((f) => f.resource.kind)).toEqual(['Pod']);
  });

  it('gives stable fingerprints that ignore uids, resourceVersions and order', () => {
    const a = deployment({ spec: privilegedSpec, metadata: { uid: '1', resourceVersion: '10' } });
    const b = deployment({ name: 'api', spec: privilegedSpec });
    const first = runRules(snapshotOf([a, b]), [privileged]).findings.map((f) => f.fingerprint);
    const a2 = deployment({ spec: privilegedSpec, metadata: { uid: '2', resourceVersion: '99' } });
    const second = runRules(snapshotOf([b, a2]), [privileged]).findings.map((f) => f.fingerprint);
    expect(second.sort()).toEqual(first.sort());
    expect(new Set(first).size).toBe(2);
  });

  it('isolates a rule that throws: one engine-error finding, other rules still run', () => {
    const broken = defineRule({
      id: 'broken',
      meta: { ...privileged.meta, targets: ['Deployment'], messages: { x: 'x' } },
      check() {
        throw new Error('boom');
      },
    });
    const { findings } = runRules(snapshotOf([deployment({ spec: privilegedSpec })]), [broken, privileged]);
    expect(findings.map((f) => f.ruleId).sort()).toEqual([engineErrorRuleId, 'privileged-container']);
    const error = findings.find((f) => f.ruleId === engineErrorRuleId)!;
    expect(error.message).toContain('broken');
    expect(error.message).toContain('boom');
    expect(error.resource).toMatchObject({ kind: 'Deployment', name: 'web' });
  });

  it('suppresses a finding with the ignore annotation, keeping it visible with its reason', () => {
    const dep = deployment({
      spec: privilegedSpec,
      metadata: { annotations: { 'periscope.dev/ignore.privileged-container': 'CNI needs host networking setup' } },
    });
    const [finding] = runRules(snapshotOf([dep]), [privileged]).findings;
    expect(finding).toMatchObject({ status: 'SUPPRESSED', suppression: { source: 'annotation', reason: 'CNI needs host networking setup' } });
  });

  it('skips cluster-level rules when there are no EKS facts, and says why', () => {
    const clusterRule = defineRule({
      id: 'needs-eks',
      meta: { ...privileged.meta, targets: ['EKSCluster'], requires: ['clusterInfo'], messages: { x: 'x' } },
      check(_object, ctx) {
        ctx.report({ messageId: 'x', path: '' });
      },
    });
    const without = runRules(snapshotOf([]), [clusterRule]);
    expect(without.findings).toEqual([]);
    expect(without.skipped).toEqual([{ ruleId: 'needs-eks', reason: expect.stringContaining('EKS') }]);
    const withInfo = runRules(snapshotOf([], { clusterInfo: { name: 'prod' } }), [clusterRule]);
    expect(withInfo.findings.map((f) => f.resource)).toEqual([{ apiVersion: 'eks.amazonaws.com/v1', kind: 'EKSCluster', name: 'prod' }]);
  });

  it('produces findings that satisfy the Finding schema', () => {
    const objects = workloadKinds.map((kind, i) => ({ ...deployment({ name: `w${i}`, spec: privilegedSpec }), kind }));
    const { findings } = runRules(snapshotOf(objects), [privileged]);
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) expect(() => findingSchema.parse(finding)).not.toThrow();
  });
});

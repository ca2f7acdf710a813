// Every rule declares the kinds it reads beyond its targets (meta.reads): reconcile trusts that list to keep a
// finding open when one of them was not listed completely. Each rule runs over a rich snapshot through an index
// that records the kinds it is asked for; a kind read and not declared fails.
import { describe, expect, it } from 'vitest';
import { clusterTarget, snapshotTarget, type AnyRule } from '../../shared/engine/rule.ts';
import { SnapshotIndex } from '../../shared/engine/snapshot-index.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { rules } from '../../shared/rules/index.ts';
import { demoClusterObjects } from '../../shared/sandbox/demo/cluster.ts';
import { syntheticObjects } from '../../shared/sandbox/synthetic/cluster.ts';
import { deployment, namespace, snapshotOf } from '../support/fixtures.ts';
import { clusterInfo, eksSnapshot } from './cluster/eks-fixtures.ts';

/** Records each kind asked for; namespaces() lists Namespace objects (and the namespaces of the others). */
class RecordingIndex extends SnapshotIndex {
  readonly read = new Set<string>();
  override all(kind: string): readonly KubeObject[] {
    this.read.add(kind);
    return super.all(kind);
  }
  override inNamespace(kind: string, namespace: string): readonly KubeObject[] {
    this.read.add(kind);
    return super.inNamespace(kind, namespace);
  }
  override get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    this.read.add(kind);
    return super.get(kind, namespace, name);
  }
  override kinds(): string[] {
    this.read.add('*');
    return super.kinds();
  }
  override namespaces(): string[] {
    this.read.add('Namespace');
    return super.namespaces();
  }
}

/** The demo cluster (public dashboard, attack paths, RBAC), a synthetic one with misconfigurations, and EKS facts. */
function richSnapshot(): Snapshot {
  const allowWeb = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-web', namespace: 'bare' },
    spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{}] },
  };
  const bare = [namespace('bare'), deployment({ namespace: 'bare', name: 'lonely' }), allowWeb];
  const objects = [...demoClusterObjects(), ...syntheticObjects({ pods: 400, misconfiguredShare: 0.5, seed: 7 }), ...bare];
  const info = clusterInfo(
    { resourcesVpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } },
    { podIdentityAssociations: [{ namespace: 'ops', serviceAccount: 'ops-dashboard', roleArn: 'arn:aws:iam::111122223333:role/ops' }] },
  );
  return snapshotOf(objects, eksSnapshot(info));
}

function optionsFor(rule: AnyRule): unknown {
  const schema = rule.meta.options;
  if (!schema) return undefined;
  const needed = (rule.meta.requires ?? []).filter((need) => need.startsWith('option:')).map((need) => need.slice('option:'.length));
  return schema.parse(Object.fromEntries(needed.map((name) => [name, ['registry.example.com']])));
}

/** The kinds a rule asked the index for, over every object of its targets. */
function kindsRead(rule: AnyRule, snapshot: Snapshot): { read: Set<string>; reports: number } {
  const index = new RecordingIndex(snapshot);
  let reports = 0;
  const ctx = { snapshot: index, report: () => void (reports += 1), options: optionsFor(rule) };
  for (const target of rule.meta.targets) {
    if (target === clusterTarget) rule.check({ apiVersion: 'eks.amazonaws.com/v1', kind: clusterTarget, metadata: { name: 'prod' } }, ctx);
    else if (target === snapshotTarget) rule.check({ apiVersion: 'periscope.dev/v1', kind: snapshotTarget, metadata: { name: 'prod' } }, ctx);
    else for (const object of snapshot.objects[target] ?? []) rule.check(object, ctx);
  }
  return { read: index.read, reports };
}

describe('rule metadata: reads', () => {
  const snapshot = richSnapshot();
  const observed = new Map(rules.map((rule) => [rule.id, kindsRead(rule, snapshot)]));

  it.each(rules.map((rule) => [rule.id, rule] as const))('%s declares every kind it reads', (_id, rule) => {
    const { read } = observed.get(rule.id)!;
    const declared = new Set([...rule.meta.targets, ...(rule.meta.reads ?? [])]);
    expect([...read].filter((kind) => !declared.has(kind)).sort()).toEqual([]);
  });

  it('declares no kind twice and no kind that is also a target', () => {
    for (const rule of rules) {
      const reads = rule.meta.reads ?? [];
      expect(new Set(reads).size, rule.id).toBe(reads.length);
      expect(reads.filter((kind) => rule.meta.targets.includes(kind)), rule.id).toEqual([]);
    }
  });

  it('reaches the cross-object rules: the fixture is rich enough to make them read and report', () => {
    for (const id of ['path-public-workload-pivot', 'rbac-workload-blast-radius', 'namespace-default-deny-missing']) {
      expect(observed.get(id)?.reports, id).toBeGreaterThan(0);
      expect(observed.get(id)?.read.size, id).toBeGreaterThan(0);
    }
  });

  it('would catch an undeclared read', () => {
    const sneaky: AnyRule = {
      id: 'sneaky',
      meta: { ...rules[0]!.meta, targets: ['Deployment'], reads: ['Service'] },
      check: (_object, ctx) => void ctx.snapshot.inNamespace('RoleBinding', 'ops'),
    };
    expect([...kindsRead(sneaky, snapshot).read]).toEqual(['RoleBinding']);
  });
});

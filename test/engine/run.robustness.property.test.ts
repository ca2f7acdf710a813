// Property: whatever shape the objects have, the engine never throws, returns well-formed findings, and no
// registered rule crashes on them (an engine-error finding would mean a rule trusted a field's type).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engineErrorRuleId, runRules } from '../../shared/engine/run.ts';
import { findingSchema } from '../../shared/model/finding.ts';
import { isRecord, type KubeObject } from '../../shared/model/kube.ts';
import { rules } from '../../shared/rules/index.ts';
import * as f from '../support/fixtures.ts';

const kinds = [
  'Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController',
  'Service', 'Ingress', 'NetworkPolicy', 'Namespace', 'ServiceAccount', 'Secret', 'ConfigMap', 'Role', 'ClusterRole',
  'RoleBinding', 'ClusterRoleBinding', 'Node', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
];

const seeds: KubeObject[] = [
  f.deployment({ spec: { ...f.hardenedPodSpec(), volumes: [{ name: 'v', hostPath: { path: '/var/run/docker.sock' } }] } }),
  f.cronJob(),
  f.pod({ spec: { containers: [f.container({ env: [{ name: 'PASSWORD', value: 'x' }], ports: [{ hostPort: 80 }] })] } }),
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'shop' }] },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: 'shop' }, spec: { podSelector: {}, ingress: [{}] } },
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { nodeInfo: { kubeletVersion: 'v1.29.0', containerRuntimeVersion: 'containerd://1.6.0' } } },
];

/** Every path to a value in the object, so a mutation can hit any depth. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

function setPath(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const node = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>;
  node[head!] = setPath(node[head!], rest, value);
  return node;
}

const mutated = fc
  .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.anything({ maxDepth: 2 })), { maxLength: 4 }), fc.constantFrom(...kinds), fc.boolean())
  .map(([seed, mutations, kind, keepKind]) => {
    let object: unknown = structuredClone(seed);
    for (const [pick, value] of mutations) {
      const paths = pathsOf(object).filter((p) => p.length > 0 && p[0] !== 'kind');
      if (paths.length === 0) break;
      object = setPath(object, paths[pick % paths.length]!, value);
    }
    // Sometimes keep the seed's kind, sometimes graft the body onto another kind.
    return isRecord(object) ? { ...object, kind: keepKind ? seed.kind : kind } : { kind, spec: object };
  });

describe('engine robustness', () => {
  it('never throws, returns schema-valid findings, and no rule crashes on malformed objects', () => {
    fc.assert(
      fc.property(fc.array(mutated, { minLength: 1, maxLength: 6 }), (objects) => {
        const { findings } = runRules(f.snapshotOf(objects), rules);
        for (const finding of findings) findingSchema.parse(finding);
        const crashes = findings.filter((x) => x.ruleId === engineErrorRuleId).map((x) => x.message);
        expect(crashes).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('survives completely arbitrary values where objects are expected', () => {
    fc.assert(
      fc.property(fc.array(fc.anything({ maxDepth: 3 }), { maxLength: 5 }), fc.constantFrom(...kinds), (values, kind) => {
        const objects = values.map((v) => (isRecord(v) ? { ...v, kind } : { kind, metadata: v, spec: v }));
        const { findings } = runRules(f.snapshotOf(objects as KubeObject[]), rules);
        for (const finding of findings) findingSchema.parse(finding);
      }),
      { numRuns: 200 },
    );
  });
});

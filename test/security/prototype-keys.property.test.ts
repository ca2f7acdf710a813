// Property: a name that is also a property of Object.prototype (`__proto__`, `constructor`, `toString`...) is an
// ordinary name wherever input puts it. Every field the engine indexes (kinds, names, namespaces, labels,
// annotations, selectors, owners, RBAC roles, subjects and rules, aws-auth, exception fields) gets such names, read
// from YAML and JSON text as `periscope scan -f` reads it; nothing may throw, no rule may crash, every object must be
// where its kind says, and an exception naming the object must suppress its findings and nothing else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { exceptionsFromYaml } from '../../shared/engine/exceptions-file.ts';
import { engineErrorRuleId, runRules } from '../../shared/engine/run.ts';
import { SnapshotIndex } from '../../shared/engine/snapshot-index.ts';
import { manifestSnapshot, parseManifests } from '../../shared/kube/manifests.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import { analyzeRbac } from '../../shared/rbac/index.ts';
import { rules } from '../../shared/rules/index.ts';
import { checkedKinds } from '../../shared/cli/manifest-source.ts';

const prototypeNames = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype'])];

/** A mapping with exactly these own keys, `__proto__` included (an object literal would set the prototype). */
const record = (entries: [string, unknown][]): Record<string, unknown> => Object.fromEntries(entries);

interface Words {
  kind: string;
  name: string;
  namespace: string;
  label: string;
  annotation: string;
  role: string;
  subject: string;
  rbac: string;
}

/** One object of every kind the engine indexes, each field named from `words`. */
function hostileObjects(w: Words): KubeObject[] {
  const meta = (name: string, namespaced = true) =>
    record([
      ['name', name],
      ...(namespaced ? ([['namespace', w.namespace]] as [string, unknown][]) : []),
      ['uid', `uid-${name}`],
      ['labels', record([[w.label, w.label], ['app', w.name]])],
      ['annotations', record([[w.annotation, w.annotation]])],
    ]);
  const podSpec = {
    serviceAccountName: w.subject,
    containers: [{ name: w.name, image: `${w.name}:latest`, env: [{ name: w.label, value: w.annotation }], securityContext: { privileged: true } }],
    volumes: [{ name: w.name, configMap: { name: w.name } }],
    nodeSelector: record([[w.label, w.label]]),
  };
  const selector = record([[w.label, w.label]]);
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta(w.namespace, false) },
    { apiVersion: 'example.com/v1', kind: w.kind, metadata: meta(w.name) },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(w.subject) },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(w.name), spec: { selector: { matchLabels: selector }, template: { metadata: { labels: selector }, spec: podSpec } } },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...meta(`${w.name}-pod`), ownerReferences: [{ apiVersion: 'apps/v1', kind: w.kind, name: w.name, uid: `uid-${w.name}`, controller: true }] },
      spec: podSpec,
    },
    { apiVersion: 'v1', kind: 'Service', metadata: meta(w.name), spec: { type: 'LoadBalancer', selector, ports: [{ port: 80, name: w.name }] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(w.name), spec: { podSelector: { matchLabels: selector }, ingress: [{ from: [{ podSelector: { matchLabels: selector } }] }] } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(w.name), data: record([[w.label, w.annotation]]) },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta(w.name), type: w.name, data: record([[w.label, 'c2VjcmV0']]) },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(w.role), rules: [{ apiGroups: [w.rbac, ''], resources: [w.rbac, 'secrets'], verbs: [w.rbac, 'get'], resourceNames: [w.rbac] }, { apiGroups: [''], resources: [w.rbac], verbs: ['list'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(w.role, false), rules: [{ apiGroups: ['*'], resources: [w.rbac], verbs: ['*'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(w.role),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: w.role },
      subjects: [{ kind: 'ServiceAccount', name: w.subject, namespace: w.namespace }, { kind: 'Group', name: w.subject }, { kind: w.subject, name: w.subject }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(w.role, false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: w.role },
      subjects: [{ kind: 'User', name: w.subject }],
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'aws-auth', namespace: 'kube-system' },
      data: { mapRoles: `- rolearn: arn:aws:iam::111122223333:role/${w.subject}\n  username: ${w.subject}\n  groups: [${w.rbac}]\n` },
    },
  ];
}

function exceptionsFor(w: Words): string {
  return stringify({
    exceptions: [{ rule: '*', namespace: w.namespace, kind: 'Deployment', name: w.name, reason: 'a prototype-named deployment, accepted', owner: w.subject }],
  });
}

function scan(text: string, file: string, w: Words) {
  const parsed = parseManifests(text, file);
  const { snapshot, uncheckedKinds } = manifestSnapshot(parsed.objects, { path: file, name: 'hostile', takenAt: '2026-01-01T00:00:00Z', checkedKinds: checkedKinds(), errors: parsed.errors });
  const result = runRules(snapshot, rules, { exceptions: [exceptionsFromYaml(exceptionsFor(w), { now: '2026-01-01T00:00:00Z' })] });
  return { parsed, snapshot, uncheckedKinds, result };
}

function check(w: Words): void {
  const objects = hostileObjects(w);
  for (const [text, file] of [
    [objects.map((object) => stringify(object)).join('---\n'), 'hostile.yaml'],
    [JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }), 'hostile.json'],
  ] as const) {
    const { parsed, snapshot, uncheckedKinds, result } = scan(text, file, w);
    expect(parsed.errors).toEqual([]);
    expect(parsed.objects).toHaveLength(objects.length);
    const crashes = result.findings.filter((finding) => finding.ruleId === engineErrorRuleId).map((finding) => finding.message);
    expect(crashes).toEqual([]);

    // Every object sits under its own kind, counted, and the index finds it by kind, namespace and name.
    const index = new SnapshotIndex(snapshot);
    for (const object of objects) {
      const kind = object.kind!;
      expect(Object.hasOwn(snapshot.objects, kind)).toBe(true);
      expect(Array.isArray(snapshot.objects[kind])).toBe(true);
      const name = object.metadata!.name!;
      expect(index.get(kind, object.metadata!.namespace, name)?.metadata?.name).toBe(name);
    }
    for (const [kind, list] of Object.entries(snapshot.objects)) expect(snapshot.coverage[kind]?.count).toBe(list!.length);
    expect(Object.hasOwn(uncheckedKinds, w.kind)).toBe(true);
    expect(index.inNamespace('Service', w.namespace)).toHaveLength(1);
    expect(index.namespaces()).toContain(w.namespace);
    // The Secret keeps no value, whatever its keys are named.
    expect(snapshot.objects.Secret![0]!.data).toBeUndefined();

    // The exception suppresses the prototype-named Deployment's findings, and only those.
    const deploymentFindings = result.findings.filter((finding) => finding.resource.kind === 'Deployment' && finding.resource.name === w.name);
    expect(deploymentFindings.length).toBeGreaterThan(0);
    expect(deploymentFindings.every((finding) => finding.status === 'SUPPRESSED')).toBe(true);
    expect(result.findings.filter((finding) => finding.resource.kind !== 'Deployment').every((finding) => finding.status === 'OPEN')).toBe(true);

    // RBAC: the binding's ServiceAccount and user subjects are known and get the role's grants.
    const rbac = analyzeRbac(index);
    const account = { kind: 'ServiceAccount', name: w.subject, namespace: w.namespace } as const;
    expect(rbac.can(account, 'get', 'secrets', w.namespace, w.rbac)).toBe(true);
    expect(rbac.can({ kind: 'User', name: w.subject }, w.rbac, w.rbac)).toBe(true);
    // A resource named like a prototype property is in the core group, like any resource kubectl does not know.
    expect(rbac.can(account, 'list', w.rbac, w.namespace)).toBe(true);
    expect(rbac.whoCan('get', 'secrets', w.namespace, w.rbac).map((entry) => entry.subject.name)).toContain(w.subject);
    expect(rbac.permissionsOf({ kind: 'User', name: w.subject }).length).toBeGreaterThan(0);
  }
}

describe('names that are Object.prototype properties', () => {
  it('are ordinary names in every indexed field, each name in all fields at once', () => {
    for (const word of prototypeNames) {
      check({ kind: word, name: word, namespace: word, label: word, annotation: word, role: word, subject: word, rbac: word });
    }
  });

  it('are ordinary names in any mix of fields', () => {
    const word = fc.constantFrom(...prototypeNames, 'app');
    fc.assert(
      fc.property(fc.record({ kind: word, name: word, namespace: word, label: word, annotation: word, role: word, subject: word, rbac: word }), (w) => {
        check(w);
      }),
      { numRuns: 40 },
    );
  });
});

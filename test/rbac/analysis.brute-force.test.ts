// Property: the indexed analysis agrees with a brute-force evaluator that re-reads the raw RBAC objects for every
// question, on random sets of roles, aggregated ClusterRoles (cycles included) and bindings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../../shared/engine/snapshot-index.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import { analyzeRbac, formatSubject, identityOf, type Identity, type ResourceSpec, type Subject } from '../../shared/rbac/index.ts';
import { snapshotOf } from '../support/fixtures.ts';
import { clusterRole, clusterRoleBinding, role, roleBinding } from './fixtures.ts';

const namespaces = ['a', 'b'];
const verbs = ['get', 'list', 'create', 'delete'];
const targets: (ResourceSpec & { clusterScoped: boolean })[] = [
  { group: '', resource: 'pods', clusterScoped: false },
  { group: '', resource: 'pods', subresource: 'exec', clusterScoped: false },
  { group: '', resource: 'secrets', clusterScoped: false },
  { group: 'apps', resource: 'deployments', clusterScoped: false },
  { group: '', resource: 'nodes', clusterScoped: true },
  { group: '', resource: 'nodes', subresource: 'proxy', clusterScoped: true },
];
const subjects: Subject[] = [
  { kind: 'ServiceAccount', namespace: 'a', name: 's1' },
  { kind: 'ServiceAccount', namespace: 'a', name: 's2' },
  { kind: 'ServiceAccount', namespace: 'b', name: 's1' },
  { kind: 'User', name: 'alice' },
  { kind: 'User', name: 'system:anonymous' },
  { kind: 'Group', name: 'devs' },
  { kind: 'Group', name: 'system:serviceaccounts' },
  { kind: 'Group', name: 'system:serviceaccounts:a' },
  { kind: 'Group', name: 'system:authenticated' },
  { kind: 'Group', name: 'system:unauthenticated' },
];
const rawSubject = (s: Subject): Record<string, unknown> =>
  s.kind === 'ServiceAccount' ? { kind: 'ServiceAccount', namespace: s.namespace, name: s.name } : { kind: s.kind, name: s.name };

const arbRule = fc.record({
  apiGroups: fc.subarray(['', 'apps', '*'], { minLength: 1 }),
  resources: fc.subarray(['pods', 'pods/exec', 'secrets', 'deployments', 'nodes', 'nodes/proxy', '*', '*/exec'], { minLength: 1 }),
  verbs: fc.subarray(['get', 'list', 'create', 'delete', '*'], { minLength: 1 }),
  resourceNames: fc.oneof(fc.constant([] as string[]), fc.subarray(['x', 'y'], { minLength: 1 })),
});
const arbRules = fc.array(arbRule, { maxLength: 3 });
const clusterRoleNames = ['c0', 'c1', 'c2', 'c3'];
const arbClusterRole = (name: string) =>
  fc.record({ rules: arbRules, label: fc.constantFrom(undefined, 'x', 'y'), aggregates: fc.constantFrom(undefined, 'x', 'y') }).map(({ rules, label, aggregates }) => {
    const object = clusterRole(name, rules, { labels: label ? { agg: label } : {} });
    if (aggregates) object.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { agg: aggregates } }] };
    return object;
  });
const arbSubjects = fc.subarray(subjects, { maxLength: 3 }).map((list) => list.map(rawSubject));
const arbBinding = fc.oneof(
  fc.record({ role: fc.constantFrom(...clusterRoleNames), subjects: arbSubjects }).map((b) => ({ cluster: true as const, ...b })),
  fc.record({ namespace: fc.constantFrom(...namespaces), kind: fc.constantFrom('Role' as const, 'ClusterRole' as const), role: fc.constantFrom('r0', 'r1', 'c0', 'c1'), subjects: arbSubjects }),
);
const arbObjects = fc
  .record({
    clusterRoles: fc.tuple(...clusterRoleNames.map(arbClusterRole)),
    roles: fc.array(fc.record({ namespace: fc.constantFrom(...namespaces), name: fc.constantFrom('r0', 'r1'), rules: arbRules }), { maxLength: 3 }),
    bindings: fc.array(arbBinding, { maxLength: 6 }),
  })
  .map(({ clusterRoles, roles, bindings }) => {
    const objects: KubeObject[] = [...clusterRoles];
    const seenRoles = new Set<string>();
    for (const r of roles) {
      if (seenRoles.has(`${r.namespace}/${r.name}`)) continue;
      seenRoles.add(`${r.namespace}/${r.name}`);
      objects.push(role(r.namespace, r.name, r.rules));
    }
    bindings.forEach((b, i) => {
      if ('cluster' in b) objects.push(clusterRoleBinding(`crb${i}`, b.role, b.subjects));
      else objects.push(roleBinding(b.namespace, `rb${i}`, { kind: b.kind, name: b.role }, b.subjects));
    });
    return objects;
  });

// ---- the brute-force evaluator: no index, no shared code with shared/rbac beyond the object shapes ----

type Raw = Record<string, unknown>;
const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

function aggregatedRules(objects: KubeObject[], name: string): Raw[] {
  // Fixpoint: a role's rule set grows with the sets of the roles its selectors match, until nothing changes.
  const roles = objects.filter((o) => o.kind === 'ClusterRole');
  const sets = new Map(roles.map((r) => [r.metadata!.name!, new Set(list(r.rules).map((_, i) => `${r.metadata!.name}#${i}`))]));
  let changed = true;
  while (changed) {
    changed = false;
    for (const r of roles) {
      const selector = (r.aggregationRule as Raw | undefined)?.clusterRoleSelectors as Raw[] | undefined;
      if (!selector) continue;
      const wanted = (selector[0]!.matchLabels as Record<string, string>).agg;
      for (const other of roles) {
        if (other === r || other.metadata?.labels?.agg !== wanted) continue;
        const mine = sets.get(r.metadata!.name!)!;
        for (const item of sets.get(other.metadata!.name!)!) {
          if (mine.has(item)) continue;
          mine.add(item);
          changed = true;
        }
      }
    }
  }
  return [...(sets.get(name) ?? [])].map((item) => {
    const [roleName, index] = item.split('#');
    return list(roles.find((r) => r.metadata!.name === roleName)!.rules)[Number(index)] as unknown as Raw;
  });
}

function bruteRuleAllows(rule: Raw, verb: string, target: ResourceSpec, name: string | undefined): boolean {
  const combined = target.subresource ? `${target.resource}/${target.subresource}` : target.resource;
  const verbOk = list(rule.verbs).some((v) => v === '*' || v === verb);
  const groupOk = list(rule.apiGroups).some((g) => g === '*' || g === target.group);
  const resourceOk = list(rule.resources).some((r) => r === '*' || r === combined || (target.subresource !== undefined && r === `*/${target.subresource}`));
  const names = list(rule.resourceNames);
  const nameOk = names.length === 0 || (name !== undefined && names.includes(name));
  return verbOk && groupOk && resourceOk && nameOk;
}

function bruteSubjectMatches(raw: Raw, userName: string | undefined, groups: readonly string[]): boolean {
  if (raw.kind === 'Group') return groups.includes(raw.name as string);
  if (raw.kind === 'User') return raw.name === userName;
  return `system:serviceaccount:${String(raw.namespace)}:${String(raw.name)}` === userName;
}

function bruteCan(objects: KubeObject[], userName: string | undefined, groups: readonly string[], verb: string, target: (typeof targets)[number], namespace: string | undefined, name: string | undefined): boolean {
  if (groups.includes('system:masters')) return true;
  for (const binding of objects) {
    if (binding.kind !== 'ClusterRoleBinding' && binding.kind !== 'RoleBinding') continue;
    if (!list(binding.subjects).some((s) => bruteSubjectMatches(s as unknown as Raw, userName, groups))) continue;
    const ref = binding.roleRef as Raw;
    let rules: Raw[];
    if (binding.kind === 'RoleBinding') {
      if (target.clusterScoped || namespace !== binding.metadata!.namespace) continue;
      rules = ref.kind === 'Role' ? list(objects.find((o) => o.kind === 'Role' && o.metadata!.namespace === namespace && o.metadata!.name === ref.name)?.rules) as unknown as Raw[] : aggregatedRules(objects, ref.name as string);
    } else {
      rules = aggregatedRules(objects, ref.name as string);
    }
    if (rules.some((rule) => bruteRuleAllows(rule, verb, target, name))) return true;
  }
  return false;
}

const userNameOf = (identity: Identity): string | undefined => {
  const s = identity.subject;
  if (s.kind === 'ServiceAccount') return `system:serviceaccount:${s.namespace}:${s.name}`;
  return s.kind === 'User' ? s.name : undefined;
};

const arbQuery = fc.record({
  verb: fc.constantFrom(...verbs),
  target: fc.constantFrom(...targets),
  namespace: fc.constantFrom(undefined, ...namespaces),
  name: fc.constantFrom(undefined, 'x', 'z'),
});

describe('the analysis agrees with a brute-force evaluator', () => {
  it('can(): every subject with its implicit groups, on random RBAC sets', () => {
    fc.assert(
      fc.property(arbObjects, fc.array(arbQuery, { minLength: 1, maxLength: 8 }), (objects, queries) => {
        const rbac = analyzeRbac(new SnapshotIndex(snapshotOf(objects)));
        for (const q of queries) {
          const spec: ResourceSpec = q.target.subresource ? { group: q.target.group, resource: q.target.resource, subresource: q.target.subresource } : { group: q.target.group, resource: q.target.resource };
          for (const subject of subjects) {
            const identity = identityOf(subject);
            const expected = bruteCan(objects, userNameOf(identity), identity.groups, q.verb, q.target, q.namespace, q.name);
            expect(rbac.can(identity, q.verb, spec, q.namespace, q.name), `${formatSubject(subject)} ${q.verb} ${JSON.stringify(q)}`).toBe(expected);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('whoCan(): exactly the subjects whose own bindings allow the request', () => {
    fc.assert(
      fc.property(arbObjects, arbQuery, (objects, q) => {
        const rbac = analyzeRbac(new SnapshotIndex(snapshotOf(objects)));
        const spec: ResourceSpec = q.target.subresource ? { group: q.target.group, resource: q.target.resource, subresource: q.target.subresource } : { group: q.target.group, resource: q.target.resource };
        const got = rbac.whoCan(q.verb, spec, q.namespace, q.name).map((e) => formatSubject(e.subject)).sort();
        const expected = ['group:system:masters'];
        for (const subject of subjects) {
          const userName = subject.kind === 'Group' ? undefined : userNameOf({ subject, groups: [] });
          const groups = subject.kind === 'Group' ? [subject.name] : [];
          if (bruteCan(objects, userName, groups, q.verb, q.target, q.namespace, q.name)) expected.push(formatSubject(subject));
        }
        expect(got).toEqual(expected.sort());
      }),
      { numRuns: 300 },
    );
  });
});

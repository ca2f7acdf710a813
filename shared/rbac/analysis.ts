// Effective permissions: every grant of every Role and ClusterRole (aggregation resolved) to every subject of
// every binding, plus EKS access policies and the superuser group, indexed by subject and by binding.
import { severityRank, type Severity } from '../model/finding.ts';
import { isRecord, type KubeObject } from '../model/kube.ts';
import { labelsOf, nameOf, namespaceOf, type SnapshotIndex } from '../engine/snapshot-index.ts';
import { accessEntryPrincipals, accessPolicyName, accessPolicyRules, awsAuthPrincipals, bootstrapClusterRoleRules, isAwsAuthConfigMap, type MappedPrincipal } from './eks.ts';
import { bindingKey, scopeCovers, type BindingRef, type Grant, type GrantScope, type RoleRef } from './grants.ts';
import { labelSelectorMatches } from '../facts/label-selector.ts';
import { normalizeRule, ruleAllows, ruleAllowsUrl, rulesOf, type PolicyRule } from './policy-rule.ts';
import { isClusterScopedResource, parseResource, type ResourceRequest, type ResourceSpec } from './resources.ts';
import { maxSeverity, riskClassesOfGrant, severityOf, type RiskClass } from './risk.ts';
import {
  allServiceAccountsGroup,
  anonymousUser,
  authenticatedGroup,
  identityOf,
  mastersGroup,
  normalizeSubject,
  subjectKey,
  unauthenticatedGroup,
  type Identity,
  type Subject,
} from './subjects.ts';

export interface RiskHit {
  riskClass: RiskClass;
  severity: Severity;
  scope: 'cluster' | 'namespaces';
  /** The namespaces (or EKS namespace patterns) of a namespaces-scoped hit; empty for a cluster-wide one. */
  namespaces: string[];
  /** The bindings (or access entries) that grant it. */
  grantedBy: BindingRef[];
  grants: Grant[];
  /** Every grant behind it is inherent to Kubernetes or EKS. */
  builtIn: boolean;
}

export interface WhoCanEntry {
  subject: Subject;
  /** The grants that name this subject directly and allow the request. */
  grants: Grant[];
}

/** A query target: `pods/exec`, `deployments.apps`, a parsed spec, or a non-resource URL such as `/metrics`. */
export type ResourceQuery = string | ResourceSpec;

export interface RbacAnalysis {
  /** Every grant, in binding order. */
  readonly grants: readonly Grant[];
  /** IAM principals mapped into the cluster (access entries, then aws-auth). */
  readonly mappedPrincipals: readonly MappedPrincipal[];
  /** Every subject Periscope knows: bound ones, ServiceAccount objects, mapped IAM principals. */
  subjects(): Subject[];
  /** The subject with its implicit groups and, for mapped IAM principals, their Kubernetes groups. */
  identityOf(subject: Subject): Identity;
  /** Every grant that applies to the subject (directly or through its groups). */
  permissionsOf(who: Subject | Identity): Grant[];
  /** The grants that allow this request for this subject. */
  grantsAllowing(who: Subject | Identity, verb: string, resource: ResourceQuery, namespace?: string, name?: string): Grant[];
  can(who: Subject | Identity, verb: string, resource: ResourceQuery, namespace?: string, name?: string): boolean;
  /** Subjects named by a grant that allows the request (groups as groups: their members are not expanded). */
  whoCan(verb: string, resource: ResourceQuery, namespace?: string, name?: string): WhoCanEntry[];
  /** The subject's risk classes, one per class and scope kind. */
  riskClassesOf(who: Subject | Identity): RiskHit[];
  /** The grants a binding (or access entry) makes. */
  grantsOfBinding(binding: BindingRef): readonly Grant[];
  /** The rules of a ClusterRole with aggregation resolved, each with the role it is written in. */
  clusterRoleRules(name: string): readonly RuleWithSource[];
}

export interface RuleWithSource {
  rule: PolicyRule;
  source: RoleRef;
  index: number;
}

const reservedPrefixes = ['system:', 'eks:'];
const reserved = (name: string): boolean => reservedPrefixes.some((prefix) => name.startsWith(prefix));
const broadGroups = new Set([authenticatedGroup, unauthenticatedGroup, allServiceAccountsGroup]);

/** A system identity: a reserved-name user or group (the broad groups and system:anonymous excepted, since a
 * grant to them reaches everyone), or a service account in kube-system. */
function isSystemSubject(subject: Subject): boolean {
  if (subject.kind === 'ServiceAccount') return subject.namespace === 'kube-system';
  if (subject.kind === 'User' && subject.name === anonymousUser) return false;
  if (subject.kind === 'Group' && (broadGroups.has(subject.name) || subject.name.startsWith(`${allServiceAccountsGroup}:`))) return false;
  return reserved(subject.name);
}

/**
 * The built-in policy. A binding is inherent to Kubernetes or EKS — shown by who-can and access, not alerted on by
 * the RBAC rules — when all three hold: (1) it is a bootstrap binding: its name starts with `system:` or `eks:`, or
 * it carries `kubernetes.io/bootstrapping: rbac-defaults`; (2) its role has a reserved name (`system:*`, `eks:*`),
 * or it is `cluster-admin` bound to the `system:masters` group only; (3) every subject is a system identity
 * (reserved-name users and groups, kube-system service accounts; never system:anonymous, system:authenticated,
 * system:unauthenticated or system:serviceaccounts*). A user-made binding that borrows a reserved name for a
 * non-system subject, or binds a non-reserved role, stays visible.
 */
export function isBuiltInBinding(binding: KubeObject, roleName: string, subjects: readonly Subject[]): boolean {
  const bootstrap = reserved(nameOf(binding)) || labelsOf(binding)['kubernetes.io/bootstrapping'] === 'rbac-defaults';
  if (!bootstrap || subjects.length === 0 || !subjects.every(isSystemSubject)) return false;
  if (reserved(roleName)) return true;
  return roleName === 'cluster-admin' && subjects.every((s) => s.kind === 'Group' && s.name === mastersGroup);
}

const fullAccess: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [], nonResourceURLs: [] },
  { verbs: ['*'], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: ['*'] },
];

function roleRefOf(binding: KubeObject): { kind: string; name: string } | undefined {
  const ref = binding.roleRef;
  if (!isRecord(ref) || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  return { kind: ref.kind, name: ref.name };
}

/** The subjects of a binding, normalized, with their index; a ServiceAccount without a namespace takes the
 * RoleBinding's (the API server rejects it; manifests sometimes omit it). */
export function subjectsOf(binding: KubeObject): { subject: Subject; index: number }[] {
  const raw = Array.isArray(binding.subjects) ? binding.subjects : [];
  const out: { subject: Subject; index: number }[] = [];
  raw.forEach((entry, index) => {
    if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name === '') return;
    if (entry.kind === 'ServiceAccount') {
      const namespace = typeof entry.namespace === 'string' && entry.namespace !== '' ? entry.namespace : binding.kind === 'RoleBinding' ? bindingNamespace(binding) : '';
      out.push({ subject: { kind: 'ServiceAccount', namespace, name: entry.name }, index });
    } else if (entry.kind === 'User' || entry.kind === 'Group') {
      out.push({ subject: normalizeSubject({ kind: entry.kind, name: entry.name }), index });
    }
  });
  return out;
}

/** A namespaced RBAC object without a namespace (a manifest) lands in `default`. */
function bindingNamespace(object: KubeObject): string {
  return namespaceOf(object) ?? 'default';
}

function toRequest(verb: string, resource: ResourceQuery, name: string | undefined): ResourceRequest {
  const spec = typeof resource === 'string' ? parseResource(resource) : resource;
  const request: ResourceRequest = { verb, group: spec.group, resource: spec.resource };
  if (spec.subresource) request.subresource = spec.subresource;
  if (name !== undefined) request.name = name;
  return request;
}

/** Does this grant allow the request? Non-resource URLs start with `/`; cluster-scoped resources and URLs are
 * reachable only through cluster-wide grants. */
export function grantAllows(grant: Grant, verb: string, resource: ResourceQuery, namespace?: string, name?: string): boolean {
  if (typeof resource === 'string' && resource.startsWith('/')) {
    return grant.scope.type === 'cluster' && ruleAllowsUrl(grant.rule, verb, resource);
  }
  const request = toRequest(verb, resource, name);
  if (isClusterScopedResource(request.resource)) {
    if (grant.scope.type !== 'cluster') return false;
  } else if (!scopeCovers(grant.scope, namespace)) {
    return false;
  }
  return ruleAllows(grant.rule, request);
}

function ownRules(role: KubeObject, ref: RoleRef): RuleWithSource[] {
  return rulesOf(role).map((rule, i) => ({ rule, source: ref, index: i }));
}

/** The rules of a ClusterRole by name: its own and those of every ClusterRole its aggregation selectors reach (a
 * cycle is just a closed walk); a built-in role the snapshot does not define has its bootstrap rules. Cached. */
function clusterRoleResolver(index: SnapshotIndex): (name: string) => RuleWithSource[] {
  const clusterRoles = new Map<string, KubeObject>();
  for (const role of index.all('ClusterRole')) clusterRoles.set(nameOf(role), role);
  const resolved = new Map<string, RuleWithSource[]>();
  return (name) => {
    const cached = resolved.get(name);
    if (cached) return cached;
    const seen = new Set<string>([name]);
    const queue = [name];
    const out: RuleWithSource[] = [];
    while (queue.length > 0) {
      const current = queue.shift()!;
      const role = clusterRoles.get(current);
      if (!role) {
        const bootstrap = bootstrapClusterRoleRules[current];
        if (bootstrap) out.push(...bootstrap.map((rule, i) => ({ rule, source: { kind: 'ClusterRole' as const, name: current }, index: i })));
        continue;
      }
      out.push(...ownRules(role, { kind: 'ClusterRole', name: current }));
      const aggregation = isRecord(role.aggregationRule) ? role.aggregationRule : undefined;
      const selectors = aggregation && Array.isArray(aggregation.clusterRoleSelectors) ? aggregation.clusterRoleSelectors : [];
      if (selectors.length === 0) continue;
      for (const [otherName, other] of clusterRoles) {
        if (seen.has(otherName)) continue;
        if (selectors.some((selector) => labelSelectorMatches(selector, labelsOf(other)))) {
          seen.add(otherName);
          queue.push(otherName);
        }
      }
    }
    resolved.set(name, out);
    return out;
  };
}

/** The role a binding refers to and its rules, or undefined when the reference cannot be followed. */
function boundRole(
  index: SnapshotIndex,
  roleRef: { kind: string; name: string },
  namespace: string | undefined,
  clusterRoleRules: (name: string) => RuleWithSource[],
): { role: RoleRef; rules: RuleWithSource[] } | undefined {
  if (roleRef.kind === 'ClusterRole') return { role: { kind: 'ClusterRole', name: roleRef.name }, rules: clusterRoleRules(roleRef.name) };
  if (roleRef.kind !== 'Role' || namespace === undefined) return undefined;
  const role: RoleRef = { kind: 'Role', namespace, name: roleRef.name };
  // The Roles of the binding's namespace only (a Role without a namespace counts as `default`, so that one still
  // looks at them all): walking every Role per RoleBinding is quadratic on big clusters.
  const candidates = namespace === 'default' ? index.all('Role') : index.inNamespace('Role', namespace);
  const found = candidates.find((r) => nameOf(r) === roleRef.name && bindingNamespace(r) === namespace);
  return { role, rules: found ? ownRules(found, role) : [] };
}

/** Every grant of every ClusterRoleBinding, then every RoleBinding: one per subject and rule. */
function bindingGrants(index: SnapshotIndex, clusterRoleRules: (name: string) => RuleWithSource[]): Grant[] {
  const grants: Grant[] = [];
  for (const kind of ['ClusterRoleBinding', 'RoleBinding'] as const) {
    for (const binding of index.all(kind)) {
      const roleRef = roleRefOf(binding);
      if (!roleRef) continue;
      const namespace = kind === 'RoleBinding' ? bindingNamespace(binding) : undefined;
      const bound = boundRole(index, roleRef, namespace, clusterRoleRules);
      if (!bound) continue;
      const scope: GrantScope = namespace === undefined ? { type: 'cluster' } : { type: 'namespace', namespaces: [namespace] };
      const ref: BindingRef = namespace === undefined ? { kind, name: nameOf(binding) } : { kind, namespace, name: nameOf(binding) };
      const subjects = subjectsOf(binding);
      const builtIn = isBuiltInBinding(binding, roleRef.name, subjects.map((s) => s.subject));
      for (const { subject, index: subjectIndex } of subjects) {
        for (const { rule, source, index: ruleIndex } of bound.rules) {
          grants.push({ subject, binding: ref, subjectIndex, role: bound.role, rule, ruleSource: { role: source, index: ruleIndex }, scope, builtIn });
        }
      }
    }
  }
  return grants;
}

/** `system:masters`: full access that no RBAC object grants and none can take away. */
function superuserGrants(): Grant[] {
  const superuser: RoleRef = { kind: 'Superuser', name: mastersGroup };
  return fullAccess.map((rule, i) => ({
    subject: { kind: 'Group', name: mastersGroup },
    binding: { kind: 'Superuser', name: mastersGroup },
    role: superuser,
    rule,
    ruleSource: { role: superuser, index: i },
    scope: { type: 'cluster' },
    builtIn: true,
  }));
}

/** IAM principals mapped into the cluster: EKS access entries, then the aws-auth ConfigMap. */
function mappedPrincipalsOf(index: SnapshotIndex): MappedPrincipal[] {
  const mappedPrincipals: MappedPrincipal[] = [...accessEntryPrincipals(index.clusterInfo)];
  for (const configMap of index.all('ConfigMap')) if (isAwsAuthConfigMap(configMap)) mappedPrincipals.push(...awsAuthPrincipals(configMap));
  return mappedPrincipals;
}

/** The grants of the EKS access policies associated with access entries. */
function accessPolicyGrants(mappedPrincipals: readonly MappedPrincipal[]): Grant[] {
  const grants: Grant[] = [];
  for (const principal of mappedPrincipals) {
    const entry = principal.accessEntry;
    if (!entry) continue;
    const subject = normalizeSubject({ kind: 'User', name: principal.username });
    for (const association of entry.policies ?? []) {
      const policyName = accessPolicyName(association.policyArn);
      const rules = Object.hasOwn(accessPolicyRules, policyName) ? accessPolicyRules[policyName]! : [];
      const scope: GrantScope =
        association.accessScope?.type === 'namespace'
          ? { type: 'namespace', namespaces: [...(association.accessScope.namespaces ?? [])] }
          : { type: 'cluster' };
      const role: RoleRef = { kind: 'AccessPolicy', name: policyName };
      rules.forEach((rule, i) =>
        grants.push({
          subject,
          binding: { kind: 'AccessEntry', name: principal.principalArn },
          role,
          rule: normalizeRule(rule)!,
          ruleSource: { role, index: i },
          scope,
          builtIn: false,
        }),
      );
    }
  }
  return grants;
}

function groupBy(grants: readonly Grant[], keyOf: (grant: Grant) => string): Map<string, Grant[]> {
  const out = new Map<string, Grant[]>();
  for (const grant of grants) {
    const key = keyOf(grant);
    (out.get(key) ?? out.set(key, []).get(key)!).push(grant);
  }
  return out;
}

/** A subject as an identity: its implicit groups and, for a mapped IAM principal, its Kubernetes groups and ARNs. */
function identityResolver(mappedPrincipals: readonly MappedPrincipal[]): (subject: Subject) => Identity {
  const groupsOfUser = new Map<string, string[]>();
  for (const principal of mappedPrincipals) {
    const key = subjectKey(normalizeSubject({ kind: 'User', name: principal.username }));
    groupsOfUser.set(key, [...(groupsOfUser.get(key) ?? []), ...principal.groups]);
  }
  const arnsOfUser = new Map<string, string[]>();
  for (const principal of mappedPrincipals) {
    const key = subjectKey(normalizeSubject({ kind: 'User', name: principal.username }));
    arnsOfUser.set(key, [...new Set([...(arnsOfUser.get(key) ?? []), principal.principalArn])]);
  }
  return (subject) => {
    const normalized = normalizeSubject(subject);
    const key = subjectKey(normalized);
    const identity = identityOf(normalized, groupsOfUser.get(key) ?? []);
    const arns = arnsOfUser.get(key);
    return arns ? { ...identity, iamPrincipalArns: arns } : identity;
  };
}

/** Every subject Periscope knows, sorted by key: bound ones, ServiceAccount objects, mapped IAM principals. */
function knownSubjects(index: SnapshotIndex, grants: readonly Grant[], mappedPrincipals: readonly MappedPrincipal[]): Subject[] {
  const all = new Map<string, Subject>();
  for (const grant of grants) all.set(subjectKey(grant.subject), grant.subject);
  for (const account of index.all('ServiceAccount')) {
    const subject: Subject = { kind: 'ServiceAccount', namespace: namespaceOf(account) ?? 'default', name: nameOf(account) };
    all.set(subjectKey(subject), subject);
  }
  for (const principal of mappedPrincipals) {
    const subject = normalizeSubject({ kind: 'User', name: principal.username });
    all.set(subjectKey(subject), subject);
    for (const group of principal.groups) all.set(subjectKey({ kind: 'Group', name: group }), { kind: 'Group', name: group });
  }
  return [...all.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, subject]) => subject);
}

function buildAnalysis(index: SnapshotIndex): RbacAnalysis {
  const clusterRoleRules = clusterRoleResolver(index);
  const mappedPrincipals = mappedPrincipalsOf(index);
  const grants: Grant[] = [...bindingGrants(index, clusterRoleRules), ...superuserGrants(), ...accessPolicyGrants(mappedPrincipals)];
  const bySubject = groupBy(grants, (grant) => subjectKey(grant.subject));
  const byBinding = groupBy(grants, (grant) => bindingKey(grant.binding));
  const identityOfSubject = identityResolver(mappedPrincipals);
  const asIdentity = (who: Subject | Identity): Identity => ('subject' in who ? who : identityOfSubject(who));

  const permissionsOf = (who: Subject | Identity): Grant[] => {
    const identity = asIdentity(who);
    const keys = new Set([subjectKey(normalizeSubject(identity.subject)), ...identity.groups.map((g) => subjectKey({ kind: 'Group', name: g }))]);
    return [...keys].flatMap((key) => bySubject.get(key) ?? []);
  };

  const grantsAllowing = (who: Subject | Identity, verb: string, resource: ResourceQuery, namespace?: string, name?: string): Grant[] =>
    permissionsOf(who).filter((grant) => grantAllows(grant, verb, resource, namespace, name));

  return {
    grants,
    mappedPrincipals,
    subjects: () => knownSubjects(index, grants, mappedPrincipals),
    identityOf: identityOfSubject,
    permissionsOf,
    grantsAllowing,
    can: (who, verb, resource, namespace, name) => grantsAllowing(who, verb, resource, namespace, name).length > 0,
    whoCan(verb, resource, namespace, name) {
      const out: WhoCanEntry[] = [];
      for (const [, list] of [...bySubject.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const allowing = list.filter((grant) => grantAllows(grant, verb, resource, namespace, name));
        if (allowing.length > 0) out.push({ subject: allowing[0]!.subject, grants: allowing });
      }
      return out;
    },
    riskClassesOf: (who) => summarizeRisks(permissionsOf(who)),
    grantsOfBinding: (binding) => byBinding.get(bindingKey(binding)) ?? [],
    clusterRoleRules,
  };
}

/** Groups grants into risk hits: one per class and scope kind, most severe first. */
export function summarizeRisks(grants: readonly Grant[]): RiskHit[] {
  const hits = new Map<string, RiskHit>();
  for (const grant of grants) {
    for (const riskClass of riskClassesOfGrant(grant)) {
      const scope = grant.scope.type === 'cluster' ? 'cluster' : 'namespaces';
      const key = `${riskClass}|${scope}`;
      let hit = hits.get(key);
      if (!hit) {
        hit = { riskClass, severity: severityOf(riskClass, scope), scope, namespaces: [], grantedBy: [], grants: [], builtIn: true };
        hits.set(key, hit);
      }
      hit.grants.push(grant);
      hit.builtIn &&= grant.builtIn;
      if (!hit.grantedBy.some((b) => bindingKey(b) === bindingKey(grant.binding))) hit.grantedBy.push(grant.binding);
      if (grant.scope.type === 'namespace') for (const ns of grant.scope.namespaces) if (!hit.namespaces.includes(ns)) hit.namespaces.push(ns);
    }
  }
  for (const hit of hits.values()) hit.namespaces.sort();
  return [...hits.values()].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.riskClass.localeCompare(b.riskClass) || a.scope.localeCompare(b.scope));
}

/** The most severe of some hits, or undefined for none. */
export function topSeverity(hits: readonly RiskHit[]): Severity | undefined {
  return maxSeverity(hits.map((h) => h.severity));
}

const cache = new WeakMap<SnapshotIndex, RbacAnalysis>();

/** The RBAC analysis of a snapshot, computed once per SnapshotIndex (every rule of a scan shares it). */
export function analyzeRbac(index: SnapshotIndex): RbacAnalysis {
  let analysis = cache.get(index);
  if (!analysis) {
    analysis = buildAnalysis(index);
    cache.set(index, analysis);
  }
  return analysis;
}

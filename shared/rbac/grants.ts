// The unit of effective permission: one PolicyRule, granted to one subject, by one binding, in one scope.
import type { PolicyRule } from './policy-rule.ts';
import type { Subject } from './subjects.ts';

/** Where a rule is written: a Role, a ClusterRole, an EKS access policy, or the authorizer's superuser group. */
export interface RoleRef {
  kind: 'ClusterRole' | 'Role' | 'AccessPolicy' | 'Superuser';
  name: string;
  namespace?: string;
}

/** What grants it: a binding object, an EKS access entry (name = principal ARN), or the superuser group. */
export interface BindingRef {
  kind: 'ClusterRoleBinding' | 'RoleBinding' | 'AccessEntry' | 'Superuser';
  name: string;
  namespace?: string;
}

/** Cluster-wide, or within some namespaces (EKS access policies may name patterns such as `dev-*`). */
export type GrantScope = { type: 'cluster' } | { type: 'namespace'; namespaces: readonly string[] };

export interface Grant {
  /** The subject as the binding names it. */
  subject: Subject;
  binding: BindingRef;
  /** Index of the subject in the binding's `subjects` (absent for EKS and superuser grants). */
  subjectIndex?: number;
  /** The role the binding refers to. */
  role: RoleRef;
  rule: PolicyRule;
  /** The role the rule is written in (an aggregated-from ClusterRole for aggregated rules) and its index there. */
  ruleSource: { role: RoleRef; index: number };
  scope: GrantScope;
  /** Inherent to Kubernetes or EKS (see builtInPolicy in analysis.ts): shown by who-can, not alerted on. */
  builtIn: boolean;
}

export function bindingKey(binding: BindingRef): string {
  return binding.namespace ? `${binding.kind}/${binding.namespace}/${binding.name}` : `${binding.kind}/${binding.name}`;
}

function namespaceMatches(pattern: string, namespace: string): boolean {
  if (!pattern.includes('*')) return pattern === namespace;
  const regex = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return regex.test(namespace);
}

/** Does a grant in this scope apply to a request in `namespace` (undefined: cluster-wide or all namespaces)? */
export function scopeCovers(scope: GrantScope, namespace: string | undefined): boolean {
  if (scope.type === 'cluster') return true;
  return namespace !== undefined && scope.namespaces.some((pattern) => namespaceMatches(pattern, namespace));
}

/** `cluster` or `namespace shop` / `namespaces dev-*, qa`, for messages. */
export function describeScope(scope: GrantScope): string {
  if (scope.type === 'cluster') return 'cluster-wide';
  return `${scope.namespaces.length === 1 ? 'namespace' : 'namespaces'} ${scope.namespaces.join(', ')}`;
}

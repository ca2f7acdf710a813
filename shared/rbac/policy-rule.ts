// RBAC PolicyRule matching, as the Kubernetes RBAC authorizer does it (rbac/v1 helpers: VerbMatches,
// APIGroupMatches, ResourceMatches, ResourceNameMatches, NonResourceURLMatches).
import { isRecord } from '../model/kube.ts';
import type { ResourceRequest } from './resources.ts';

/** A PolicyRule with every list present (possibly empty). */
export interface PolicyRule {
  verbs: readonly string[];
  apiGroups: readonly string[];
  resources: readonly string[];
  resourceNames: readonly string[];
  nonResourceURLs: readonly string[];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A rule read defensively from any input; undefined when it is not an object. */
export function normalizeRule(raw: unknown): PolicyRule | undefined {
  if (!isRecord(raw)) return undefined;
  return {
    verbs: strings(raw.verbs),
    apiGroups: strings(raw.apiGroups),
    resources: strings(raw.resources),
    resourceNames: strings(raw.resourceNames),
    nonResourceURLs: strings(raw.nonResourceURLs),
  };
}

/** The rules of a Role or ClusterRole object (own rules only; aggregation is resolved elsewhere). */
export function rulesOf(role: unknown): PolicyRule[] {
  if (!isRecord(role) || !Array.isArray(role.rules)) return [];
  return role.rules.map(normalizeRule).filter((r): r is PolicyRule => r !== undefined);
}

function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes('*') || rule.verbs.includes(verb);
}

function groupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.includes('*') || rule.apiGroups.includes(group);
}

function resourceMatches(rule: PolicyRule, resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const candidate of rule.resources) {
    if (candidate === '*' || candidate === combined) return true;
    if (subresource && candidate === `*/${subresource}`) return true;
  }
  return false;
}

function nameMatches(rule: PolicyRule, name: string | undefined): boolean {
  if (rule.resourceNames.length === 0) return true;
  return name !== undefined && rule.resourceNames.includes(name);
}

/** Does this rule allow this resource request? */
export function ruleAllows(rule: PolicyRule, request: ResourceRequest): boolean {
  return (
    verbMatches(rule, request.verb) &&
    groupMatches(rule, request.group) &&
    resourceMatches(rule, request.resource, request.subresource) &&
    nameMatches(rule, request.name)
  );
}

/** Does this rule allow this verb on a non-resource URL (`/healthz`, `/metrics`)? */
export function ruleAllowsUrl(rule: PolicyRule, verb: string, url: string): boolean {
  if (!verbMatches(rule, verb)) return false;
  return rule.nonResourceURLs.some(
    (pattern) => pattern === '*' || pattern === url || (pattern.endsWith('*') && url.startsWith(pattern.slice(0, -1))),
  );
}

/** `*` verbs on `*` resources in `*` groups, not limited by name: everything the API has. */
export function isFullAccessRule(rule: PolicyRule): boolean {
  return (
    rule.verbs.includes('*') &&
    rule.apiGroups.includes('*') &&
    rule.resources.includes('*') &&
    rule.resourceNames.length === 0
  );
}

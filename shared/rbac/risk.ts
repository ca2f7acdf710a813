// Risk classes: what a grant lets its holder do that matters to an attacker, with a severity that depends on
// whether the power reaches the whole cluster or some namespaces.
import type { Severity } from '../model/finding.ts';

import { scopeCovers, type Grant } from './grants.ts';
import { isFullAccessRule, ruleAllows, type PolicyRule } from './policy-rule.ts';
import { isClusterScopedResource, type ResourceRequest } from './resources.ts';

export const riskClasses = [
  'cluster-admin',
  'namespace-admin',
  'read-secrets',
  'create-pods',
  'pods-exec',
  'pods-attach',
  'pods-portforward',
  'escalate',
  'bind',
  'impersonate',
  'impersonate-serviceaccounts',
  'nodes-proxy',
  'serviceaccount-token',
  'approve-csr',
  'webhook-write',
  'create-persistentvolumes',
  'rbac-write',
  'aws-auth-write',
] as const;
export type RiskClass = (typeof riskClasses)[number];

interface RiskClassDefinition {
  /** What the holder gains, in words that complete "it can ...". */
  power: string;
  /** Severity when granted cluster-wide. */
  cluster: Severity;
  /** Severity when granted within namespaces; absent when only a cluster-wide grant carries the power. */
  namespace?: Severity;
  /** Requests any of which the grant must allow (unnamed unless `name` is set). */
  probes: readonly ResourceRequest[];
  /** The power needs the grant to reach one of these namespaces (or the whole cluster). */
  namespaces?: readonly string[];
}

const probe = (verbs: string[], group: string, resources: string[], name?: string): ResourceRequest[] =>
  verbs.flatMap((verb) =>
    resources.map((text) => {
      const [resource = '', subresource] = text.split('/');
      const request: ResourceRequest = { verb, group, resource };
      if (subresource) request.subresource = subresource;
      if (name) request.name = name;
      return request;
    }),
  );

const rbacGroup = 'rbac.authorization.k8s.io';

export const riskClassDefinitions: Readonly<Record<RiskClass, RiskClassDefinition>> = {
  'cluster-admin': { power: 'do anything to any resource in the cluster (cluster-admin)', cluster: 'critical', probes: [] },
  'namespace-admin': { power: 'do anything to any resource in the namespace', cluster: 'critical', namespace: 'high', probes: [] },
  'read-secrets': {
    power: 'read secrets',
    cluster: 'high',
    namespace: 'medium',
    probes: probe(['get', 'list', 'watch'], '', ['secrets']),
  },
  'create-pods': {
    power: 'create pods (directly or through a workload controller) and so run as any service account there',
    cluster: 'high',
    namespace: 'medium',
    probes: [
      ...probe(['create'], '', ['pods', 'replicationcontrollers']),
      ...probe(['create'], 'apps', ['deployments', 'replicasets', 'statefulsets', 'daemonsets']),
      ...probe(['create'], 'batch', ['jobs', 'cronjobs']),
    ],
  },
  'pods-exec': { power: 'exec into pods', cluster: 'high', namespace: 'medium', probes: probe(['create', 'get'], '', ['pods/exec']) },
  'pods-attach': { power: 'attach to pods', cluster: 'high', namespace: 'medium', probes: probe(['create', 'get'], '', ['pods/attach']) },
  'pods-portforward': {
    power: 'port-forward into pods',
    cluster: 'medium',
    namespace: 'low',
    probes: probe(['create', 'get'], '', ['pods/portforward']),
  },
  escalate: {
    power: 'escalate roles beyond its own permissions',
    cluster: 'high',
    namespace: 'medium',
    probes: probe(['escalate'], rbacGroup, ['roles', 'clusterroles']),
  },
  bind: {
    power: 'bind roles it does not hold',
    cluster: 'high',
    namespace: 'medium',
    probes: probe(['bind'], rbacGroup, ['roles', 'clusterroles']),
  },
  impersonate: {
    power: 'impersonate any user or group (system:masters included)',
    cluster: 'critical',
    probes: [...probe(['impersonate'], '', ['users', 'groups']), ...probe(['impersonate'], 'authentication.k8s.io', ['uids', 'userextras'])],
  },
  'impersonate-serviceaccounts': {
    power: 'impersonate service accounts',
    cluster: 'high',
    namespace: 'medium',
    probes: probe(['impersonate'], '', ['serviceaccounts']),
  },
  'nodes-proxy': { power: 'reach the kubelet API through nodes/proxy', cluster: 'high', probes: probe(['get', 'create'], '', ['nodes/proxy']) },
  'serviceaccount-token': {
    power: 'mint service account tokens',
    cluster: 'high',
    namespace: 'medium',
    probes: probe(['create'], '', ['serviceaccounts/token']),
  },
  'approve-csr': {
    power: 'approve certificate signing requests',
    cluster: 'high',
    probes: probe(['update', 'patch'], 'certificates.k8s.io', ['certificatesigningrequests/approval']),
  },
  'webhook-write': {
    power: 'change admission webhooks (intercept or disable admission control)',
    cluster: 'high',
    probes: probe(['create', 'update', 'patch', 'delete'], 'admissionregistration.k8s.io', [
      'mutatingwebhookconfigurations',
      'validatingwebhookconfigurations',
    ]),
  },
  'create-persistentvolumes': {
    power: 'create persistent volumes (hostPath volumes reach the node)',
    cluster: 'high',
    probes: probe(['create'], '', ['persistentvolumes']),
  },
  'rbac-write': {
    power: 'write RBAC roles and bindings',
    cluster: 'medium',
    namespace: 'low',
    probes: probe(['create', 'update', 'patch'], rbacGroup, ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings']),
  },
  'aws-auth-write': {
    power: 'rewrite the kube-system/aws-auth ConfigMap (map any IAM principal to system:masters)',
    cluster: 'critical',
    namespace: 'critical',
    probes: probe(['update', 'patch'], '', ['configmaps'], 'aws-auth'),
    namespaces: ['kube-system'],
  },
};

/** Classes that contain every other: a finding for one of them stands for the rest of the same grant. */
export const dominantClasses: ReadonlySet<RiskClass> = new Set(['cluster-admin', 'namespace-admin']);

function inScope(grant: Grant, definition: RiskClassDefinition, request: ResourceRequest): boolean {
  if (grant.scope.type === 'cluster') return true;
  if (definition.namespace === undefined || isClusterScopedResource(request.resource)) return false;
  if (definition.namespaces) return definition.namespaces.some((ns) => scopeCovers(grant.scope, ns));
  return true;
}

function allowsAny(rule: PolicyRule, grant: Grant, definition: RiskClassDefinition): boolean {
  return definition.probes.some((request) => inScope(grant, definition, request) && ruleAllows(rule, request));
}

/** The risk classes one grant carries. */
export function riskClassesOfGrant(grant: Grant): RiskClass[] {
  if (isFullAccessRule(grant.rule)) return [grant.scope.type === 'cluster' ? 'cluster-admin' : 'namespace-admin'];
  return riskClasses.filter((riskClass) => {
    const definition = riskClassDefinitions[riskClass];
    return definition.probes.length > 0 && allowsAny(grant.rule, grant, definition);
  });
}

export function severityOf(riskClass: RiskClass, scope: 'cluster' | 'namespaces'): Severity {
  const definition = riskClassDefinitions[riskClass];
  return scope === 'cluster' ? definition.cluster : (definition.namespace ?? definition.cluster);
}


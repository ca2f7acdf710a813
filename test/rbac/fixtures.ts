// Builders of RBAC objects for tests, and the Kubernetes bootstrap roles (cluster-admin, admin, edit, view and
// the discovery roles with their bindings) as the API server creates them
// (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/cluster-roles.yaml, trimmed to the rules that matter).
import type { KubeObject } from '../../shared/model/kube.ts';

type Json = Record<string, unknown>;
const rbacVersion = 'rbac.authorization.k8s.io/v1';

export const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): Json =>
  resourceNames ? { apiGroups, resources, verbs, resourceNames } : { apiGroups, resources, verbs };

export const sa = (namespace: string, name: string): Json => ({ kind: 'ServiceAccount', name, namespace });
export const user = (name: string): Json => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name });
export const group = (name: string): Json => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });

export function clusterRole(name: string, rules: Json[] | null, extra: { labels?: Record<string, string>; aggregateFrom?: string[] } = {}): KubeObject {
  const out: KubeObject = { apiVersion: rbacVersion, kind: 'ClusterRole', metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) }, rules };
  if (extra.aggregateFrom) {
    out.aggregationRule = { clusterRoleSelectors: extra.aggregateFrom.map((label) => ({ matchLabels: { [label]: 'true' } })) };
  }
  return out;
}

export function role(namespace: string, name: string, rules: Json[]): KubeObject {
  return { apiVersion: rbacVersion, kind: 'Role', metadata: { name, namespace }, rules };
}

export function clusterRoleBinding(name: string, roleName: string, subjects: Json[], labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: rbacVersion,
    kind: 'ClusterRoleBinding',
    metadata: { name, ...(labels ? { labels } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects,
  };
}

export function roleBinding(namespace: string, name: string, roleRef: { kind: 'Role' | 'ClusterRole'; name: string }, subjects: Json[]): KubeObject {
  return {
    apiVersion: rbacVersion,
    kind: 'RoleBinding',
    metadata: { name, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects,
  };
}

export function serviceAccount(namespace: string, name: string, annotations?: Record<string, string>, extra: Json = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, ...(annotations ? { annotations } : {}) }, ...extra };
}

const bootstrapLabels = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const read = ['get', 'list', 'watch'];
const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];

/** The bootstrap ClusterRoles and their default bindings. */
export function bootstrapPolicy(): KubeObject[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), { nonResourceURLs: ['*'], verbs: ['*'] }], { labels: bootstrapLabels }),
    clusterRole('admin', null, { labels: bootstrapLabels, aggregateFrom: ['rbac.authorization.k8s.io/aggregate-to-admin'] }),
    clusterRole('edit', null, {
      labels: { ...bootstrapLabels, 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
      aggregateFrom: ['rbac.authorization.k8s.io/aggregate-to-edit'],
    }),
    clusterRole('view', null, {
      labels: { ...bootstrapLabels, 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' },
      aggregateFrom: ['rbac.authorization.k8s.io/aggregate-to-view'],
    }),
    clusterRole(
      'system:aggregate-to-admin',
      [
        rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
        rule(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], [...write, ...read]),
      ],
      { labels: { ...bootstrapLabels, 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } },
    ),
    clusterRole(
      'system:aggregate-to-edit',
      [
        rule([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], read),
        rule([''], ['serviceaccounts'], ['impersonate']),
        rule([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], write),
        rule([''], ['pods/eviction'], ['create']),
        rule([''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], write),
        rule([''], ['serviceaccounts/token'], ['create']),
        rule(['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'], write),
        rule(['autoscaling'], ['horizontalpodautoscalers'], write),
        rule(['batch'], ['cronjobs', 'jobs'], write),
        rule(['policy'], ['poddisruptionbudgets'], write),
        rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], write),
        rule(['coordination.k8s.io'], ['leases'], [...write, ...read]),
      ],
      { labels: { ...bootstrapLabels, 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } },
    ),
    clusterRole(
      'system:aggregate-to-view',
      [
        rule([''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'pods', 'replicationcontrollers', 'serviceaccounts', 'services'], read),
        rule([''], ['bindings', 'events', 'limitranges', 'pods/log', 'pods/status', 'resourcequotas'], read),
        rule([''], ['namespaces'], read),
        rule(['apps'], ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets'], read),
        rule(['batch'], ['cronjobs', 'jobs'], read),
        rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], read),
      ],
      { labels: { ...bootstrapLabels, 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
    ),
    clusterRole('system:discovery', [{ nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] }], { labels: bootstrapLabels }),
    clusterRole('system:basic-user', [rule(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']), rule(['authentication.k8s.io'], ['selfsubjectreviews'], ['create'])], { labels: bootstrapLabels }),
    clusterRole('system:public-info-viewer', [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }], { labels: bootstrapLabels }),
    clusterRole(
      'system:controller:clusterrole-aggregation-controller',
      [rule(['rbac.authorization.k8s.io'], ['clusterroles'], ['escalate', 'get', 'list', 'patch', 'update', 'watch'])],
      { labels: bootstrapLabels },
    ),
    clusterRole('system:kube-controller-manager', [rule(['*'], ['*'], ['list', 'watch']), rule([''], ['secrets', 'serviceaccounts'], ['create', 'get', 'update']), rule([''], ['serviceaccounts/token'], ['create'])], { labels: bootstrapLabels }),
    clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters')], bootstrapLabels),
    clusterRoleBinding('system:discovery', 'system:discovery', [group('system:authenticated')], bootstrapLabels),
    clusterRoleBinding('system:basic-user', 'system:basic-user', [group('system:authenticated')], bootstrapLabels),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')], bootstrapLabels),
    clusterRoleBinding('system:controller:clusterrole-aggregation-controller', 'system:controller:clusterrole-aggregation-controller', [sa('kube-system', 'clusterrole-aggregation-controller')], bootstrapLabels),
    clusterRoleBinding('system:kube-controller-manager', 'system:kube-controller-manager', [user('system:kube-controller-manager')], bootstrapLabels),
  ];
}

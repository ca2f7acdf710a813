// The kinds a snapshot lists, where each lives in the Kubernetes API, and the order they are collected in.

export interface KindSpec {
  kind: string;
  /** API group; '' for the core group. */
  group: string;
  version: string;
  /** The plural resource name in the URL. */
  resource: string;
  namespaced: boolean;
  /** Listed as PartialObjectMetadataList: the server never sends more than metadata. */
  metadataOnly?: boolean;
  /** An API that older clusters may not serve: a 404 means "none exist here", not a failure. */
  optional?: boolean;
}

/** Collection order matters: controllers come before pods, so a pod owned by one can be summarised. */
export const collectedKinds: readonly KindSpec[] = [
  { kind: 'Namespace', group: '', version: 'v1', resource: 'namespaces', namespaced: false },
  { kind: 'Node', group: '', version: 'v1', resource: 'nodes', namespaced: false },
  { kind: 'CustomResourceDefinition', group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false },
  { kind: 'ValidatingWebhookConfiguration', group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingwebhookconfigurations', namespaced: false },
  { kind: 'MutatingWebhookConfiguration', group: 'admissionregistration.k8s.io', version: 'v1', resource: 'mutatingwebhookconfigurations', namespaced: false },
  { kind: 'ValidatingAdmissionPolicy', group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicies', namespaced: false, optional: true },
  { kind: 'ValidatingAdmissionPolicyBinding', group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicybindings', namespaced: false, optional: true },
  { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', namespaced: false },
  { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', namespaced: false },
  { kind: 'Role', group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', namespaced: true },
  { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', namespaced: true },
  { kind: 'ServiceAccount', group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true },
  { kind: 'Secret', group: '', version: 'v1', resource: 'secrets', namespaced: true, metadataOnly: true },
  { kind: 'ConfigMap', group: '', version: 'v1', resource: 'configmaps', namespaced: true },
  { kind: 'Service', group: '', version: 'v1', resource: 'services', namespaced: true },
  { kind: 'Ingress', group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', namespaced: true },
  { kind: 'NetworkPolicy', group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', namespaced: true },
  { kind: 'Deployment', group: 'apps', version: 'v1', resource: 'deployments', namespaced: true },
  { kind: 'ReplicaSet', group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true },
  { kind: 'StatefulSet', group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true },
  { kind: 'DaemonSet', group: 'apps', version: 'v1', resource: 'daemonsets', namespaced: true },
  { kind: 'CronJob', group: 'batch', version: 'v1', resource: 'cronjobs', namespaced: true },
  { kind: 'Job', group: 'batch', version: 'v1', resource: 'jobs', namespaced: true },
  { kind: 'ReplicationController', group: '', version: 'v1', resource: 'replicationcontrollers', namespaced: true },
  { kind: 'Pod', group: '', version: 'v1', resource: 'pods', namespaced: true },
];

export function apiVersionOf(spec: KindSpec): string {
  return spec.group === '' ? spec.version : `${spec.group}/${spec.version}`;
}

/** The list URL path, cluster-wide, or in one namespace when given. */
export function listPath(spec: KindSpec, namespace?: string): string {
  const base = spec.group === '' ? `/api/${spec.version}` : `/apis/${spec.group}/${spec.version}`;
  return namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${spec.resource}` : `${base}/${spec.resource}`;
}

export function kindSpec(kind: string): KindSpec | undefined {
  return collectedKinds.find((spec) => spec.kind === kind);
}

/** Accept header that makes the API server return metadata only (PartialObjectMetadataList). */
export const METADATA_ONLY_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

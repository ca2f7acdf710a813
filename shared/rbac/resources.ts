// What the RBAC analysis knows about API resources without discovery: their API group and whether they are
// cluster-scoped (a RoleBinding never grants a cluster-scoped resource).

/** Resource → API group, for the resources RBAC risk classes and the CLI name without a group. */
const groupOfResource: Readonly<Record<string, string>> = {
  pods: '',
  secrets: '',
  configmaps: '',
  services: '',
  serviceaccounts: '',
  nodes: '',
  namespaces: '',
  persistentvolumes: '',
  persistentvolumeclaims: '',
  endpoints: '',
  events: '',
  replicationcontrollers: '',
  podtemplates: '',
  limitranges: '',
  resourcequotas: '',
  bindings: '',
  componentstatuses: '',
  users: '',
  groups: '',
  uids: 'authentication.k8s.io',
  userextras: 'authentication.k8s.io',
  deployments: 'apps',
  replicasets: 'apps',
  statefulsets: 'apps',
  daemonsets: 'apps',
  controllerrevisions: 'apps',
  jobs: 'batch',
  cronjobs: 'batch',
  horizontalpodautoscalers: 'autoscaling',
  roles: 'rbac.authorization.k8s.io',
  rolebindings: 'rbac.authorization.k8s.io',
  clusterroles: 'rbac.authorization.k8s.io',
  clusterrolebindings: 'rbac.authorization.k8s.io',
  certificatesigningrequests: 'certificates.k8s.io',
  signers: 'certificates.k8s.io',
  mutatingwebhookconfigurations: 'admissionregistration.k8s.io',
  validatingwebhookconfigurations: 'admissionregistration.k8s.io',
  validatingadmissionpolicies: 'admissionregistration.k8s.io',
  validatingadmissionpolicybindings: 'admissionregistration.k8s.io',
  networkpolicies: 'networking.k8s.io',
  ingresses: 'networking.k8s.io',
  ingressclasses: 'networking.k8s.io',
  poddisruptionbudgets: 'policy',
  selfsubjectaccessreviews: 'authorization.k8s.io',
  selfsubjectrulesreviews: 'authorization.k8s.io',
  subjectaccessreviews: 'authorization.k8s.io',
  localsubjectaccessreviews: 'authorization.k8s.io',
  tokenreviews: 'authentication.k8s.io',
  selfsubjectreviews: 'authentication.k8s.io',
  storageclasses: 'storage.k8s.io',
  csidrivers: 'storage.k8s.io',
  csinodes: 'storage.k8s.io',
  volumeattachments: 'storage.k8s.io',
  customresourcedefinitions: 'apiextensions.k8s.io',
  leases: 'coordination.k8s.io',
  endpointslices: 'discovery.k8s.io',
  priorityclasses: 'scheduling.k8s.io',
  apiservices: 'apiregistration.k8s.io',
};

const clusterScoped: ReadonlySet<string> = new Set([
  'nodes',
  'namespaces',
  'persistentvolumes',
  'componentstatuses',
  'users',
  'groups',
  'uids',
  'userextras',
  'clusterroles',
  'clusterrolebindings',
  'certificatesigningrequests',
  'signers',
  'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations',
  'validatingadmissionpolicies',
  'validatingadmissionpolicybindings',
  'ingressclasses',
  'selfsubjectaccessreviews',
  'selfsubjectrulesreviews',
  'subjectaccessreviews',
  'tokenreviews',
  'selfsubjectreviews',
  'storageclasses',
  'csidrivers',
  'csinodes',
  'volumeattachments',
  'customresourcedefinitions',
  'priorityclasses',
  'apiservices',
]);

/** True for resources that live outside namespaces; unknown resources (custom ones) count as namespaced. */
export function isClusterScopedResource(resource: string): boolean {
  return clusterScoped.has(resource);
}

/** One API request's target, as RBAC sees it. */
export interface ResourceRequest {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** The object's name; a rule limited by resourceNames grants only named requests. */
  name?: string;
}

export interface ResourceSpec {
  group: string;
  resource: string;
  subresource?: string;
}

/**
 * `pods`, `pods/exec`, `deployments.apps`, `certificatesigningrequests.certificates.k8s.io/approval` → the group,
 * resource and subresource (kubectl's `resource.group/subresource` spelling). A name without a group gets the
 * group of the well-known resource of that name, or the core group.
 */
export function parseResource(text: string): ResourceSpec {
  const slash = text.indexOf('/');
  const head = slash === -1 ? text : text.slice(0, slash);
  const subresource = slash === -1 ? undefined : text.slice(slash + 1);
  const dot = head.indexOf('.');
  const resource = dot === -1 ? head : head.slice(0, dot);
  const group = dot === -1 ? (Object.hasOwn(groupOfResource, resource) ? groupOfResource[resource]! : '') : head.slice(dot + 1);
  return subresource ? { group, resource, subresource } : { group, resource };
}

/** The kubectl spelling back: `deployments.apps/scale`. */
export function formatResource(spec: ResourceSpec): string {
  const head = spec.group === '' ? spec.resource : `${spec.resource}.${spec.group}`;
  return spec.subresource ? `${head}/${spec.subresource}` : head;
}

// EKS identities: IAM principals mapped into the cluster by access entries (with access policies) and by the
// kube-system/aws-auth ConfigMap, and what each AWS-managed access policy grants in RBAC terms.
import { parse } from 'yaml';
import type { AccessEntry, ClusterInfo } from '../model/cluster.ts';
import { isRecord, type KubeObject } from '../model/kube.ts';
import type { PolicyRule } from './policy-rule.ts';

const rule = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRule => ({
  verbs,
  apiGroups,
  resources,
  resourceNames: [],
  nonResourceURLs: [],
});
const read = ['get', 'list', 'watch'];
const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];

// The view / edit / admin equivalents follow the Kubernetes bootstrap aggregate-to-* roles, which the EKS
// access-policy reference (aws-eks-facts §2.4) mirrors; an approximation for RBAC risk analysis.
const viewRules: PolicyRule[] = [
  rule([''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'pods', 'replicationcontrollers', 'serviceaccounts', 'services', 'bindings', 'events', 'limitranges', 'namespaces', 'pods/log', 'pods/status', 'resourcequotas'], read),
  rule(['apps'], ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets'], read),
  rule(['autoscaling'], ['horizontalpodautoscalers'], read),
  rule(['batch'], ['cronjobs', 'jobs'], read),
  rule(['discovery.k8s.io'], ['endpointslices'], read),
  rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], read),
  rule(['policy'], ['poddisruptionbudgets'], read),
];
const editRules: PolicyRule[] = [
  ...viewRules,
  rule([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], read),
  rule([''], ['serviceaccounts'], ['impersonate']),
  rule([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], write),
  rule([''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], write),
  rule(['apps'], ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], write),
  rule(['autoscaling'], ['horizontalpodautoscalers'], write),
  rule(['batch'], ['cronjobs', 'jobs'], write),
  rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], write),
  rule(['policy'], ['poddisruptionbudgets'], write),
];
const adminRules: PolicyRule[] = [
  ...editRules,
  rule(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], [...write, ...read]),
  rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
];

const policyPrefix = 'arn:aws:eks::aws:cluster-access-policy/';

const clusterAdminRules: PolicyRule[] = [
  rule(['*'], ['*'], ['*']),
  { verbs: ['*'], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: ['*'] },
];

/** The user-facing ClusterRoles every cluster has (the API server recreates them at start), for snapshots that do
 * not hold them: a manifest scan binds `cluster-admin` without defining it, and a forbidden list hides it. */
export const bootstrapClusterRoleRules: Readonly<Record<string, readonly PolicyRule[]>> = {
  'cluster-admin': clusterAdminRules,
  admin: adminRules,
  edit: editRules,
  view: viewRules,
};

/** RBAC rules equivalent to each AWS-managed access policy that matters for access analysis. */
export const accessPolicyRules: Readonly<Record<string, readonly PolicyRule[]>> = {
  AmazonEKSClusterAdminPolicy: clusterAdminRules,
  AmazonEKSAdminPolicy: adminRules,
  AmazonEKSAdminViewPolicy: [rule(['*'], ['*'], read)],
  AmazonEKSEditPolicy: editRules,
  AmazonEKSViewPolicy: viewRules,
  AmazonEKSSecretReaderPolicy: [rule([''], ['secrets'], read)],
};

/** `arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy` → `AmazonEKSAdminPolicy`. */
export function accessPolicyName(policyArn: string): string {
  return policyArn.startsWith(policyPrefix) ? policyArn.slice(policyPrefix.length) : policyArn;
}

/** An IAM principal the cluster authenticates, the Kubernetes user it becomes, and its groups. */
export interface MappedPrincipal {
  principalArn: string;
  username: string;
  groups: string[];
  source: 'access-entry' | 'aws-auth';
  /** Where the mapping is written: `mapRoles[2]` of aws-auth, or the access entry. */
  path: string;
  accessEntry?: AccessEntry;
}

/** The user name an access entry gives its principal: the one set, or the principal ARN. */
function accessEntryUsername(entry: AccessEntry): string {
  return entry.username && entry.username !== '' ? entry.username : entry.principalArn;
}

export function accessEntryPrincipals(info: ClusterInfo | undefined): MappedPrincipal[] {
  return (info?.accessEntries ?? []).map((entry, i) => ({
    principalArn: entry.principalArn,
    username: accessEntryUsername(entry),
    groups: [...(entry.kubernetesGroups ?? [])],
    source: 'access-entry' as const,
    path: `accessEntries[${i}]`,
    accessEntry: entry,
  }));
}

export function isAwsAuthConfigMap(object: KubeObject): boolean {
  const meta = isRecord(object.metadata) ? object.metadata : {};
  return object.kind === 'ConfigMap' && meta.name === 'aws-auth' && meta.namespace === 'kube-system';
}

/** The mappings of an aws-auth ConfigMap; malformed YAML or entries yield what can be read, never a throw. */
export function awsAuthPrincipals(configMap: KubeObject): MappedPrincipal[] {
  const data = isRecord(configMap.data) ? configMap.data : {};
  const out: MappedPrincipal[] = [];
  for (const [field, arnKey] of [
    ['mapRoles', 'rolearn'],
    ['mapUsers', 'userarn'],
  ] as const) {
    const text = data[field];
    if (typeof text !== 'string') continue;
    let entries: unknown;
    try {
      entries = parse(text);
    } catch {
      continue;
    }
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, i) => {
      if (!isRecord(entry) || typeof entry[arnKey] !== 'string') return;
      const arn = entry[arnKey];
      const groups = Array.isArray(entry.groups) ? entry.groups.filter((g): g is string => typeof g === 'string') : [];
      out.push({
        principalArn: arn,
        username: typeof entry.username === 'string' && entry.username !== '' ? entry.username : arn,
        groups,
        source: 'aws-auth',
        path: `data.${field}[${i}]`,
      });
    });
  }
  return out;
}

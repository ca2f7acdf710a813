// Namespaces run by the platform (EKS add-ons need host access there): network, policy and secrets checks skip
// them so that findings are about what the cluster's users deploy.

const systemNamespaces: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

export function isSystemNamespace(namespace: string | undefined): boolean {
  return namespace !== undefined && systemNamespaces.has(namespace);
}

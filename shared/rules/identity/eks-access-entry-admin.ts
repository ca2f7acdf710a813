// EKS access entries that make an IAM principal an administrator of the whole cluster.
import { clusterTarget, defineRule } from '../../engine/index.ts';
import { accessPolicyName, mastersGroup } from '../../rbac/index.ts';

const clusterAdminPolicies = new Set(['AmazonEKSClusterAdminPolicy', 'AmazonEKSAdminPolicy']);

export default defineRule({
  id: 'eks-access-entry-admin',
  meta: {
    title: 'EKS access entry grants cluster administration',
    description:
      'An access entry with AmazonEKSClusterAdminPolicy (or AmazonEKSAdminPolicy scoped to the whole cluster) makes its IAM principal a cluster administrator, and one with the system:masters group a superuser no RBAC rule can restrict. Whoever can assume that IAM role owns the cluster. Reported one step below an RBAC cluster-admin binding: an access entry is a deliberate grant made and audited on the AWS side.',
    severity: 'high',
    domain: 'rbac',
    targets: [clusterTarget],
    requires: ['clusterInfo'],
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.1', '4.1.7'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Keep cluster-wide admin access entries to a few break-glass roles; give teams AmazonEKSEditPolicy or AmazonEKSAdminPolicy scoped to their namespaces, and never the system:masters group.',
    messages: {
      policy: 'IAM principal {{principal}} has {{policy}} on the whole cluster.',
      masters: 'IAM principal {{principal}} is mapped to the system:masters group: a superuser RBAC cannot restrict.',
    },
  },
  check(_object, ctx) {
    (ctx.snapshot.clusterInfo?.accessEntries ?? []).forEach((entry, i) => {
      const resource = { apiVersion: 'eks.amazonaws.com/v1', kind: 'AccessEntry', name: entry.principalArn };
      if ((entry.kubernetesGroups ?? []).includes(mastersGroup)) {
        ctx.report({ messageId: 'masters', data: { principal: entry.principalArn }, path: `accessEntries[${i}].kubernetesGroups`, resource, key: 'masters', severity: 'critical', details: { accessEntry: entry } });
      }
      (entry.policies ?? []).forEach((association, j) => {
        const policy = accessPolicyName(association.policyArn);
        if (!clusterAdminPolicies.has(policy) || association.accessScope?.type === 'namespace') return;
        ctx.report({ messageId: 'policy', data: { principal: entry.principalArn, policy }, path: `accessEntries[${i}].policies[${j}]`, resource, key: policy, details: { accessEntry: entry } });
      });
    });
  },
});

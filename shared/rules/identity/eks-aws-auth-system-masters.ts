// aws-auth mappings to system:masters: superusers that neither RBAC nor the EKS access-entry API shows.
import { defineRule } from '../../engine/index.ts';
import { awsAuthPrincipals, isAwsAuthConfigMap, mastersGroup } from '../../rbac/index.ts';

export default defineRule({
  id: 'eks-aws-auth-system-masters',
  meta: {
    title: 'aws-auth maps an IAM principal to system:masters',
    description:
      'The kube-system/aws-auth ConfigMap maps IAM roles and users to Kubernetes groups. A mapping to system:masters is a superuser that no RBAC rule can restrict and that the EKS access-entry API does not list.',
    severity: 'high',
    domain: 'rbac',
    targets: ['ConfigMap'],
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.1', '5.5.1'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Map the principal to a group bound to the role it needs, or better, replace the mapping with an EKS access entry and an access policy.',
    messages: {
      masters: 'aws-auth maps {{principal}} (user {{username}}) to system:masters.',
    },
  },
  check(object, ctx) {
    if (!isAwsAuthConfigMap(object)) return;
    for (const principal of awsAuthPrincipals(object)) {
      if (!principal.groups.includes(mastersGroup)) continue;
      ctx.report({
        messageId: 'masters',
        data: { principal: principal.principalArn, username: principal.username },
        path: principal.path.replace(/\[\d+\]$/, ''),
        key: principal.principalArn,
        details: { principalArn: principal.principalArn, username: principal.username, groups: principal.groups, entry: principal.path },
      });
    }
  },
});

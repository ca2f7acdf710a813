// Subject can rewrite the aws-auth ConfigMap: a grant of aws-auth-write to a subject, reported on the binding that makes it.
import { defineRule } from '../../engine/index.ts';
import { bindingKinds, bindingRiskMessages, checkBindingRisks, bindingRiskReads } from '../../rbac/index.ts';

export default defineRule({
  id: 'rbac-aws-auth-write',
  meta: {
    title: 'Subject can rewrite the aws-auth ConfigMap',
    description:
      'On EKS, kube-system/aws-auth maps IAM principals to Kubernetes groups: whoever can update it can map any IAM role to system:masters.',
    severity: 'critical',
    domain: 'rbac',
    targets: bindingKinds,
    reads: bindingRiskReads,
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['5.5.1'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Remove update and patch on configmaps in kube-system (or exclude aws-auth); move cluster access to EKS access entries.',
    messages: bindingRiskMessages,
  },
  check: checkBindingRisks(['aws-auth-write']),
});

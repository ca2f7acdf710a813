// Subject can write RBAC roles and bindings: a grant of rbac-write to a subject, reported on the binding that makes it.
import { defineRule } from '../../engine/index.ts';
import { bindingKinds, bindingRiskMessages, checkBindingRisks, bindingRiskReads } from '../../rbac/index.ts';

export default defineRule({
  id: 'rbac-write-rbac',
  meta: {
    title: 'Subject can write RBAC roles and bindings',
    description:
      'Writing roles and bindings lets a subject hand its permissions to others, and becomes escalation together with bind or escalate.',
    severity: 'medium',
    domain: 'rbac',
    targets: bindingKinds,
    reads: bindingRiskReads,
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.8'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      "Leave RBAC objects to the cluster's GitOps pipeline; remove write verbs on roles, rolebindings, clusterroles and clusterrolebindings.",
    messages: bindingRiskMessages,
  },
  check: checkBindingRisks(['rbac-write']),
});

// Subject can change admission webhooks: a grant of webhook-write to a subject, reported on the binding that makes it.
import { defineRule } from '../../engine/index.ts';
import { bindingKinds, bindingRiskMessages, checkBindingRisks, bindingRiskReads } from '../../rbac/index.ts';

export default defineRule({
  id: 'rbac-webhook-write',
  meta: {
    title: 'Subject can change admission webhooks',
    description:
      'Writing a mutating or validating webhook configuration lets a subject see or rewrite every object sent to the API server, or switch off the policy webhooks that protect it.',
    severity: 'high',
    domain: 'rbac',
    targets: bindingKinds,
    reads: bindingRiskReads,
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.11'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      "Remove write verbs on mutatingwebhookconfigurations and validatingwebhookconfigurations; only the admission controllers' installers need them.",
    messages: bindingRiskMessages,
  },
  check: checkBindingRisks(['webhook-write']),
});

// Subject can read secrets: a grant of read-secrets to a subject, reported on the binding that makes it.
import { defineRule } from '../../engine/index.ts';
import { bindingKinds, bindingRiskMessages, checkBindingRisks, bindingRiskReads } from '../../rbac/index.ts';

export default defineRule({
  id: 'rbac-read-secrets',
  meta: {
    title: 'Subject can read secrets',
    description:
      'get, list or watch on secrets returns their values: database passwords, TLS keys and legacy service account tokens. Cluster-wide read is high; one namespace is medium.',
    severity: 'high',
    domain: 'rbac',
    targets: bindingKinds,
    reads: bindingRiskReads,
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.2'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Remove secrets from the role, or limit it with resourceNames to the secrets the subject must read; list and watch cannot be limited that way, so never grant them on secrets.',
    messages: bindingRiskMessages,
  },
  check: checkBindingRisks(['read-secrets']),
});

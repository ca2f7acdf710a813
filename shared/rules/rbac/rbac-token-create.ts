// Subject can mint service account tokens: a grant of serviceaccount-token to a subject, reported on the binding that makes it.
import { defineRule } from '../../engine/index.ts';
import { bindingKinds, bindingRiskMessages, checkBindingRisks, bindingRiskReads } from '../../rbac/index.ts';

export default defineRule({
  id: 'rbac-token-create',
  meta: {
    title: 'Subject can mint service account tokens',
    description:
      'create on serviceaccounts/token issues a token for any service account in scope: the subject can act as each of them.',
    severity: 'high',
    domain: 'rbac',
    targets: bindingKinds,
    reads: bindingRiskReads,
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.12'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Remove serviceaccounts/token create, or limit it with resourceNames to the accounts it must issue tokens for.',
    messages: bindingRiskMessages,
  },
  check: checkBindingRisks(['serviceaccount-token']),
});

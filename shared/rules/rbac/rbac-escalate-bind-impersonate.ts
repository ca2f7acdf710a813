// Subject can escalate, bind or impersonate: a grant of escalate, bind, impersonate, impersonate-serviceaccounts to a subject, reported on the binding that makes it.
import { defineRule } from '../../engine/index.ts';
import { bindingKinds, bindingRiskMessages, checkBindingRisks, bindingRiskReads } from '../../rbac/index.ts';

export default defineRule({
  id: 'rbac-escalate-bind-impersonate',
  meta: {
    title: 'Subject can escalate, bind or impersonate',
    description:
      'escalate lets a subject write roles with permissions it does not hold, bind lets it bind roles it does not hold, impersonate lets it act as another user, group or service account: each is a path to more privilege.',
    severity: 'high',
    domain: 'rbac',
    targets: bindingKinds,
    reads: bindingRiskReads,
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.8'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Remove the escalate, bind and impersonate verbs; RBAC administration belongs to a few break-glass identities.',
    messages: bindingRiskMessages,
  },
  check: checkBindingRisks(['escalate', 'bind', 'impersonate', 'impersonate-serviceaccounts']),
});

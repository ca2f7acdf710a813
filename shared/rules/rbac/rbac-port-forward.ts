// Subject can port-forward into pods: a grant of pods-portforward to a subject, reported on the binding that makes it.
import { defineRule } from '../../engine/index.ts';
import { bindingKinds, bindingRiskMessages, checkBindingRisks, bindingRiskReads } from '../../rbac/index.ts';

export default defineRule({
  id: 'rbac-port-forward',
  meta: {
    title: 'Subject can port-forward into pods',
    description:
      'pods/portforward opens a tunnel to any port of any pod in scope, past network policies and Service boundaries.',
    severity: 'medium',
    domain: 'rbac',
    targets: bindingKinds,
    reads: bindingRiskReads,
    frameworks: { 'owasp-k8s-2022': ['K03'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Remove pods/portforward from roles bound to workloads and broad groups.',
    messages: bindingRiskMessages,
  },
  check: checkBindingRisks(['pods-portforward']),
});

// Subject can exec into or attach to pods: a grant of pods-exec, pods-attach to a subject, reported on the binding that makes it.
import { defineRule } from '../../engine/index.ts';
import { bindingKinds, bindingRiskMessages, checkBindingRisks, bindingRiskReads } from '../../rbac/index.ts';

export default defineRule({
  id: 'rbac-exec-into-pods',
  meta: {
    title: 'Subject can exec into or attach to pods',
    description:
      'pods/exec and pods/attach run commands in, or take over the terminal of, running containers: their files, environment and service account tokens.',
    severity: 'high',
    domain: 'rbac',
    targets: bindingKinds,
    reads: bindingRiskReads,
    frameworks: { 'owasp-k8s-2022': ['K03'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Remove pods/exec and pods/attach from roles bound to workloads; give people short-lived access through a break-glass process.',
    messages: bindingRiskMessages,
  },
  check: checkBindingRisks(['pods-exec', 'pods-attach']),
});

// Subject can reach the kubelet through nodes/proxy: a grant of nodes-proxy to a subject, reported on the binding that makes it.
import { defineRule } from '../../engine/index.ts';
import { bindingKinds, bindingRiskMessages, checkBindingRisks, bindingRiskReads } from '../../rbac/index.ts';

export default defineRule({
  id: 'rbac-nodes-proxy',
  meta: {
    title: 'Subject can reach the kubelet through nodes/proxy',
    description:
      'nodes/proxy gives the kubelet API of every node: running commands in any pod there, bypassing admission and audit of the API server.',
    severity: 'high',
    domain: 'rbac',
    targets: bindingKinds,
    reads: bindingRiskReads,
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.10'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Remove nodes/proxy from the role; monitoring agents need nodes/metrics or nodes/stats instead.',
    messages: bindingRiskMessages,
  },
  check: checkBindingRisks(['nodes-proxy']),
});

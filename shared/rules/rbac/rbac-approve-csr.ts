// Subject can approve certificate signing requests: a grant of approve-csr to a subject, reported on the binding that makes it.
import { defineRule } from '../../engine/index.ts';
import { bindingKinds, bindingRiskMessages, checkBindingRisks, bindingRiskReads } from '../../rbac/index.ts';

export default defineRule({
  id: 'rbac-approve-csr',
  meta: {
    title: 'Subject can approve certificate signing requests',
    description:
      'Approving a CSR (with approve on a signer such as kubernetes.io/kube-apiserver-client) issues a client certificate for any user or group, system:masters included.',
    severity: 'high',
    domain: 'rbac',
    targets: bindingKinds,
    reads: bindingRiskReads,
    frameworks: { 'owasp-k8s-2022': ['K03'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Remove update on certificatesigningrequests/approval and approve on signers; leave CSR approval to the controller manager.',
    messages: bindingRiskMessages,
  },
  check: checkBindingRisks(['approve-csr']),
});

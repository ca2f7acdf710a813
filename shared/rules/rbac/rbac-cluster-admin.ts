// Cluster-admin equivalent permissions: a grant of cluster-admin, namespace-admin to a subject, reported on the binding that makes it.
import { defineRule } from '../../engine/index.ts';
import { bindingKinds, bindingRiskMessages, checkBindingRisks, bindingRiskReads } from '../../rbac/index.ts';

export default defineRule({
  id: 'rbac-cluster-admin',
  meta: {
    title: 'Cluster-admin equivalent permissions',
    description:
      'A subject holds `*` verbs on `*` resources: cluster-wide it is cluster-admin (every secret, every node, every binding); through a RoleBinding it owns the namespace, every service account token in it included.',
    severity: 'critical',
    domain: 'rbac',
    targets: bindingKinds,
    reads: bindingRiskReads,
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.1'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Bind a role that lists the verbs and resources the subject needs; keep cluster-admin for break-glass identities, never for workloads.',
    messages: bindingRiskMessages,
  },
  check: checkBindingRisks(['cluster-admin', 'namespace-admin']),
});

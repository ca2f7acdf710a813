// Subject can create persistent volumes: a grant of create-persistentvolumes to a subject, reported on the binding that makes it.
import { defineRule } from '../../engine/index.ts';
import { bindingKinds, bindingRiskMessages, checkBindingRisks, bindingRiskReads } from '../../rbac/index.ts';

export default defineRule({
  id: 'rbac-create-persistent-volumes',
  meta: {
    title: 'Subject can create persistent volumes',
    description:
      "A PersistentVolume can be a hostPath: creating one and claiming it mounts a node's file system into a pod.",
    severity: 'high',
    domain: 'rbac',
    targets: bindingKinds,
    reads: bindingRiskReads,
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.9'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Remove create on persistentvolumes; let storage classes provision volumes.',
    messages: bindingRiskMessages,
  },
  check: checkBindingRisks(['create-persistentvolumes']),
});

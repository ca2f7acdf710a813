// Subject can create pods: a grant of create-pods to a subject, reported on the binding that makes it.
import { defineRule } from '../../engine/index.ts';
import { bindingKinds, bindingRiskMessages, checkBindingRisks, bindingRiskReads } from '../../rbac/index.ts';

export default defineRule({
  id: 'rbac-create-pods',
  meta: {
    title: 'Subject can create pods',
    description:
      'Creating a pod (or a Deployment, Job, DaemonSet... that creates one) runs any image as any service account of the namespace, with host mounts unless admission control stops it: the account tokens of the namespace are one step away.',
    severity: 'high',
    domain: 'rbac',
    targets: bindingKinds,
    reads: bindingRiskReads,
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.4'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Leave pod and workload creation to CI/CD and controllers; remove create on pods and workload kinds from roles bound to workloads.',
    messages: bindingRiskMessages,
  },
  check: checkBindingRisks(['create-pods']),
});

// The authenticator log ties API requests to IAM principals; without it audit entries name only Kubernetes users.
import { defineRule } from '../../engine/index.ts';

export default defineRule({
  id: 'eks-authenticator-log-disabled',
  meta: {
    title: 'EKS authenticator log disabled',
    description:
      'The authenticator log records which IAM principal each Kubernetes identity was mapped from. Without it, a stolen role or access key used against the cluster cannot be traced back to its IAM identity.',
    severity: 'low',
    domain: 'cluster',
    targets: ['EKSCluster'],
    requires: ['clusterInfo'],
    frameworks: { 'owasp-k8s-2022': ['K05'], 'nsa-cisa': ['audit-logging'] },
    remediation:
      'Enable the authenticator log type with `aws eks update-cluster-config --logging` (together with audit), and set a retention on the log group.',
    messages: {
      disabled: 'Cluster "{{cluster}}" does not send its authenticator log to CloudWatch Logs.',
    },
  },
  check(_object, ctx) {
    const info = ctx.snapshot.clusterInfo;
    if (!info?.logging || info.logging.authenticator === true) return;
    ctx.report({ messageId: 'disabled', data: { cluster: info.name }, path: 'logging.authenticator' });
  },
});

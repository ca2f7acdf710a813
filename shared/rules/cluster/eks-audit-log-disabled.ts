// Without the audit log, nobody can tell afterwards who did what through the Kubernetes API.
import { defineRule } from '../../engine/index.ts';

export default defineRule({
  id: 'eks-audit-log-disabled',
  meta: {
    title: 'EKS audit log disabled',
    description:
      'The control-plane audit log records every request to the Kubernetes API (who, what, when, from where). Without it, an intrusion cannot be detected or investigated.',
    severity: 'medium',
    domain: 'cluster',
    targets: ['EKSCluster'],
    requires: ['clusterInfo'],
    frameworks: { 'owasp-k8s-2022': ['K05'], 'cis-eks-1.8': ['2.1.1'], 'nsa-cisa': ['audit-logging'] },
    remediation:
      'Enable the audit log type: `aws eks update-cluster-config --name <cluster> --logging \'{"clusterLogging":[{"types":["audit","authenticator"],"enabled":true}]}\'`, and set a retention on the CloudWatch log group.',
    messages: {
      disabled: 'Cluster "{{cluster}}" does not send its audit log to CloudWatch Logs.',
    },
  },
  check(_object, ctx) {
    const info = ctx.snapshot.clusterInfo;
    // Unknown logging (the call failed) is a coverage gap, not a finding.
    if (!info?.logging || info.logging.audit === true) return;
    ctx.report({ messageId: 'disabled', data: { cluster: info.name }, path: 'logging.audit' });
  },
});

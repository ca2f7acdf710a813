// Authentication through the aws-auth ConfigMap (CIS EKS 4.1.7): edited by hand, easy to break, invisible to IAM.
import { defineRule } from '../../engine/index.ts';

export default defineRule({
  id: 'eks-authentication-mode',
  meta: {
    title: 'EKS authentication still uses the aws-auth ConfigMap',
    description:
      'In CONFIG_MAP mode, cluster access is granted only through the kube-system/aws-auth ConfigMap: anyone who can edit it can map any IAM principal to system:masters, a typo can lock everyone out, and access is invisible to IAM tooling. Access entries (API mode) are managed and audited through the EKS API.',
    severity: 'medium',
    domain: 'cluster',
    targets: ['EKSCluster'],
    requires: ['clusterInfo'],
    frameworks: { 'owasp-k8s-2022': ['K06'], 'cis-eks-1.8': ['4.1.7'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Switch to access entries: `aws eks update-cluster-config --access-config authenticationMode=API_AND_CONFIG_MAP`, migrate every aws-auth mapping to an access entry, then move to `API` (a mode change cannot be undone).',
    messages: {
      configMap: 'Cluster "{{cluster}}" authenticates only through the aws-auth ConfigMap (authentication mode CONFIG_MAP).',
      mixed: 'Cluster "{{cluster}}" still honours the aws-auth ConfigMap beside access entries (authentication mode API_AND_CONFIG_MAP).',
    },
  },
  check(_object, ctx) {
    const info = ctx.snapshot.clusterInfo;
    const mode = info?.authenticationMode;
    if (!info || mode === undefined) return;
    if (mode === 'CONFIG_MAP') {
      ctx.report({ messageId: 'configMap', data: { cluster: info.name }, path: 'authenticationMode' });
    } else if (mode === 'API_AND_CONFIG_MAP') {
      ctx.report({ messageId: 'mixed', data: { cluster: info.name }, path: 'authenticationMode', severity: 'low' });
    }
  },
});

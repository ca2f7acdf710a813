// Without the private endpoint, nodes and in-VPC tools reach the API server over the public internet path.
import { defineRule } from '../../engine/index.ts';

export default defineRule({
  id: 'eks-private-endpoint-disabled',
  meta: {
    title: 'EKS private API endpoint disabled',
    description:
      'With private endpoint access off, kubelets and in-VPC clients reach the Kubernetes API through its public endpoint, which therefore cannot be closed; CIS EKS 5.4.2 wants private access on and public access off.',
    severity: 'medium',
    domain: 'cluster',
    targets: ['EKSCluster'],
    requires: ['clusterInfo'],
    frameworks: { 'owasp-k8s-2022': ['K09'], 'cis-eks-1.8': ['5.4.2'], 'nsa-cisa': ['control-plane'] },
    remediation:
      'Enable private endpoint access (`aws eks update-cluster-config --resources-vpc-config endpointPrivateAccess=true`), then restrict or disable public access; allow 443 from the callers in the cluster security group.',
    messages: {
      disabled: 'Cluster "{{cluster}}" has its private API endpoint disabled.',
    },
  },
  check(_object, ctx) {
    const info = ctx.snapshot.clusterInfo;
    if (!info || info.endpointPrivateAccess !== false) return;
    ctx.report({ messageId: 'disabled', data: { cluster: info.name }, path: 'endpointPrivateAccess' });
  },
});

// A public API endpoint open to 0.0.0.0/0 leaves the cluster's front door facing the whole internet.
import { defineRule } from '../../engine/index.ts';

const open = new Set(['0.0.0.0/0', '::/0']);

export default defineRule({
  id: 'eks-public-endpoint-open',
  meta: {
    title: 'EKS API endpoint open to the internet',
    description:
      'The public Kubernetes API endpoint accepts connections from any address (no CIDRs given means 0.0.0.0/0): every leaked credential, unauthenticated API and API-server vulnerability is reachable from anywhere.',
    severity: 'high',
    domain: 'cluster',
    targets: ['EKSCluster'],
    requires: ['clusterInfo'],
    frameworks: { 'owasp-k8s-2022': ['K09'], 'cis-eks-1.8': ['5.4.1'], 'nsa-cisa': ['control-plane'] },
    remediation:
      'Disable public access (`aws eks update-cluster-config --resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=true`) or restrict `publicAccessCidrs` to your offices, VPN and CI egress addresses.',
    messages: {
      open: 'Cluster "{{cluster}}" exposes its API endpoint publicly to {{cidrs}}.',
    },
  },
  check(_object, ctx) {
    const info = ctx.snapshot.clusterInfo;
    if (!info || info.endpointPublicAccess !== true) return;
    const cidrs = info.publicAccessCidrs ?? [];
    const openCidrs = cidrs.length === 0 ? ['0.0.0.0/0'] : cidrs.filter((c) => open.has(c.trim()));
    if (openCidrs.length === 0) return;
    ctx.report({
      messageId: 'open',
      data: { cluster: info.name, cidrs: openCidrs.join(', ') },
      path: 'publicAccessCidrs',
      details: { publicAccessCidrs: cidrs, endpointPrivateAccess: info.endpointPrivateAccess ?? null },
    });
  },
});

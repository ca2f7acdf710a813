// Nodes with public addresses: every NodePort, hostPort and host-network service on them faces the internet
// unless a security group stops it.
import { arrayField, defineRule, recordField, stringField, toJsonPath } from '../../engine/index.ts';
import { nameOf } from '../../engine/snapshot-index.ts';

export default defineRule({
  id: 'node-external-ip',
  meta: {
    title: 'Node with an external IP address',
    description:
      'The node has a public (ExternalIP) address, so it sits in a public subnet: NodePort Services, hostPorts and host-network pods are one security-group rule away from the internet. CIS EKS 5.4.3 wants private nodes.',
    severity: 'medium',
    domain: 'cluster',
    targets: ['Node'],
    frameworks: { 'owasp-k8s-2022': ['K09'], 'cis-eks-1.8': ['5.4.3'], 'nsa-cisa': ['network-separation'] },
    remediation:
      'Run nodes in private subnets (no public IP on launch) and reach the internet through a NAT gateway; expose services through load balancers instead.',
    messages: {
      external: 'Node "{{node}}" has the external IP address {{address}}.',
    },
  },
  check(object, ctx) {
    const addresses = arrayField(recordField(object, 'status'), 'addresses');
    addresses.forEach((address, index) => {
      if (stringField(address, 'type') !== 'ExternalIP') return;
      const value = stringField(address, 'address') ?? '';
      ctx.report({
        messageId: 'external',
        data: { node: nameOf(object), address: value },
        path: toJsonPath(['status', 'addresses', index]),
        key: value,
      });
    });
  },
});

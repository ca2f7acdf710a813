// A managed node group with an SSH key and no source security group opens port 22 (3389 on Windows) to 0.0.0.0/0.
import { defineRule, toJsonPath } from '../../engine/index.ts';

export default defineRule({
  id: 'eks-nodegroup-ssh-open',
  meta: {
    title: 'Managed node group open to SSH from the internet',
    description:
      'When a managed node group has remote access with an EC2 SSH key but no source security groups, EKS opens the SSH port (RDP on Windows) of every node to 0.0.0.0/0 (RemoteAccessConfig API reference).',
    severity: 'high',
    domain: 'cluster',
    targets: ['EKSCluster'],
    requires: ['clusterInfo'],
    frameworks: { 'owasp-k8s-2022': ['K09'], 'nsa-cisa': ['network-separation'] },
    remediation:
      'Recreate the node group without remote access and use SSM Session Manager, or with `remoteAccess.sourceSecurityGroups` limited to a bastion security group (remote access cannot be changed on an existing node group).',
    messages: {
      open: 'Node group "{{nodegroup}}" of cluster "{{cluster}}" opens port {{port}} on its nodes to 0.0.0.0/0 (SSH key "{{key}}", no source security group).',
    },
  },
  check(_object, ctx) {
    const info = ctx.snapshot.clusterInfo;
    if (!info) return;
    (info.nodeGroups ?? []).forEach((group, index) => {
      const access = group.remoteAccess;
      if (!access?.ec2SshKey || (access.sourceSecurityGroups ?? []).length > 0) return;
      ctx.report({
        messageId: 'open',
        data: {
          nodegroup: group.name,
          cluster: info.name,
          port: /WINDOWS/i.test(group.amiType ?? '') ? 3389 : 22,
          key: access.ec2SshKey,
        },
        path: toJsonPath(['nodeGroups', index, 'remoteAccess']),
        key: group.name,
      });
    });
  },
});

import rule from '../../../shared/rules/cluster/eks-nodegroup-ssh-open.ts';
import type { NodeGroupInfo } from '../../../shared/model/cluster.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { clusterInfo, clusterResource, eksSnapshot } from './eks-fixtures.ts';

const group = (name: string, extra: Partial<NodeGroupInfo> = {}): NodeGroupInfo => ({
  name,
  version: '1.33',
  releaseVersion: '1.33.0-20250704',
  amiType: 'AL2023_x86_64_STANDARD',
  status: 'ACTIVE',
  nodeRole: 'arn:aws:iam::111122223333:role/prod-node-role',
  ...extra,
});
const withGroups = (nodeGroups: NodeGroupInfo[]) => eksSnapshot(clusterInfo({}, { nodeGroups }));

ruleTester.run(rule, {
  valid: [
    { name: 'no remote access', snapshot: withGroups([group('general')]) },
    {
      name: 'SSH limited to a bastion security group',
      snapshot: withGroups([group('general', { remoteAccess: { ec2SshKey: 'ops', sourceSecurityGroups: ['sg-0bastion0000000000'] } })]),
    },
  ],
  invalid: [
    {
      name: 'SSH key and no source security group: port 22 open to the world',
      snapshot: withGroups([group('general'), group('legacy', { remoteAccess: { ec2SshKey: 'ops', sourceSecurityGroups: [] } })]),
      findings: [
        { messageId: 'open', data: { nodegroup: 'legacy', cluster: 'prod', port: 22, key: 'ops' }, path: 'nodeGroups[1].remoteAccess', resource: clusterResource },
      ],
    },
    {
      name: 'Windows node group: RDP',
      snapshot: withGroups([group('win', { amiType: 'WINDOWS_CORE_2022_x86_64', remoteAccess: { ec2SshKey: 'ops' } })]),
      findings: [{ messageId: 'open', data: { nodegroup: 'win', cluster: 'prod', port: 3389, key: 'ops' }, path: 'nodeGroups[0].remoteAccess', resource: clusterResource }],
    },
  ],
});

import rule from '../../../shared/rules/identity/eks-access-entry-admin.ts';
import type { ClusterInfo } from '../../../shared/model/cluster.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const policy = (name: string, accessScope: { type: 'cluster' | 'namespace'; namespaces?: string[] }) => ({ policyArn: `arn:aws:eks::aws:cluster-access-policy/${name}`, accessScope });
const info = (accessEntries: ClusterInfo['accessEntries']): { clusterInfo: ClusterInfo } => ({ clusterInfo: { name: 'prod', accessEntries } });
const resource = (name: string) => ({ kind: 'AccessEntry', name });

ruleTester.run(rule, {
  valid: [
    { name: 'no access entries', snapshot: info([]) },
    {
      name: 'namespace-scoped admin and cluster-wide view',
      snapshot: info([
        { principalArn: 'arn:aws:iam::1:role/team', policies: [policy('AmazonEKSAdminPolicy', { type: 'namespace', namespaces: ['team-*'] })] },
        { principalArn: 'arn:aws:iam::1:role/scanner', policies: [policy('AmazonEKSAdminViewPolicy', { type: 'cluster' })] },
      ]),
    },
  ],
  invalid: [
    {
      name: 'cluster admin policy, cluster-wide admin policy, and system:masters',
      snapshot: info([
        { principalArn: 'arn:aws:iam::1:role/platform', policies: [policy('AmazonEKSClusterAdminPolicy', { type: 'cluster' })] },
        { principalArn: 'arn:aws:iam::1:role/ops', kubernetesGroups: ['system:masters'], policies: [policy('AmazonEKSAdminPolicy', { type: 'cluster' })] },
      ]),
      findings: [
        { messageId: 'policy', path: 'accessEntries[0].policies[0]', resource: resource('arn:aws:iam::1:role/platform'), data: { principal: 'arn:aws:iam::1:role/platform', policy: 'AmazonEKSClusterAdminPolicy' } },
        { messageId: 'masters', path: 'accessEntries[1].kubernetesGroups', severity: 'critical', resource: resource('arn:aws:iam::1:role/ops'), data: { principal: 'arn:aws:iam::1:role/ops' } },
        { messageId: 'policy', path: 'accessEntries[1].policies[0]', resource: resource('arn:aws:iam::1:role/ops'), data: { principal: 'arn:aws:iam::1:role/ops', policy: 'AmazonEKSAdminPolicy' } },
      ],
    },
  ],
});

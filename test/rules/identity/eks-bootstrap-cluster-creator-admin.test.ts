import rule from '../../../shared/rules/identity/eks-bootstrap-cluster-creator-admin.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const admin = { principalArn: 'arn:aws:iam::1:role/creator', policies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', accessScope: { type: 'cluster' as const } }] };
const eksCluster = { kind: 'EKSCluster', name: 'prod' };

ruleTester.run(rule, {
  valid: [
    { name: 'bootstrap admin off', snapshot: { clusterInfo: { name: 'prod', bootstrapClusterCreatorAdminPermissions: false, accessEntries: [admin] } } },
    { name: 'bootstrap admin on, but no cluster-admin entry remains', snapshot: { clusterInfo: { name: 'prod', bootstrapClusterCreatorAdminPermissions: true, accessEntries: [] } } },
  ],
  invalid: [
    {
      name: 'bootstrap admin on and a cluster-admin entry remains',
      snapshot: { clusterInfo: { name: 'prod', bootstrapClusterCreatorAdminPermissions: true, accessEntries: [admin] } },
      findings: [{ messageId: 'bootstrap', path: 'accessConfig.bootstrapClusterCreatorAdminPermissions', resource: eksCluster, data: { cluster: 'prod', state: 'an access entry with AmazonEKSClusterAdminPolicy remains (arn:aws:iam::1:role/creator)' } }],
    },
    {
      name: 'bootstrap admin on and access entries unknown',
      snapshot: { clusterInfo: { name: 'prod', bootstrapClusterCreatorAdminPermissions: true } },
      findings: [{ messageId: 'bootstrap', path: 'accessConfig.bootstrapClusterCreatorAdminPermissions', resource: eksCluster, data: { cluster: 'prod', state: 'its access entries could not be read' } }],
    },
  ],
});

import rule from '../../../shared/rules/cluster/node-kubelet-version-skew.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { clusterInfo, eksSnapshot } from './eks-fixtures.ts';
import { node } from './node-fixtures.ts';

const eks = eksSnapshot(clusterInfo({}, { nodeGroups: [{ name: 'general', version: '1.31' }] }));

ruleTester.run(rule, {
  valid: [
    { name: 'kubelet on the control-plane minor', object: node('a'), snapshot: eks },
    {
      name: 'a managed node group node is left to eks-nodegroup-version-skew',
      object: node('b', { kubelet: 'v1.31.7-eks-473151a', labels: { 'eks.amazonaws.com/nodegroup': 'general' } }),
      snapshot: eks,
    },
    { name: 'no EKS facts: no control-plane version to compare with', object: node('c', { kubelet: 'v1.25.0' }) },
  ],
  invalid: [
    {
      name: 'self-managed node two minors behind',
      object: node('self', { kubelet: 'v1.31.7-eks-473151a' }),
      snapshot: eks,
      findings: [{ messageId: 'behind', data: { node: 'self', kubelet: 'v1.31.7-eks-473151a', controlPlane: '1.33', behind: 2 }, path: 'status.nodeInfo.kubeletVersion' }],
    },
    {
      name: 'a Karpenter node outside the supported skew',
      object: node('karp', { kubelet: 'v1.29.15-eks-473151a', labels: { 'karpenter.sh/nodepool': 'default' } }),
      snapshot: eks,
      findings: [{ messageId: 'unsupported', data: { node: 'karp', kubelet: 'v1.29.15-eks-473151a', controlPlane: '1.33', max: 3 }, path: 'status.nodeInfo.kubeletVersion', severity: 'high' }],
    },
  ],
});

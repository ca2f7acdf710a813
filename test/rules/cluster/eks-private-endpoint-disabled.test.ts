import rule from '../../../shared/rules/cluster/eks-private-endpoint-disabled.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { clusterInfo, clusterResource, eksSnapshot } from './eks-fixtures.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'private endpoint enabled', snapshot: eksSnapshot(clusterInfo()) },
    { name: 'endpoint config unknown (DescribeCluster without VPC config)', snapshot: eksSnapshot(clusterInfo({ resourcesVpcConfig: {} })) },
  ],
  invalid: [
    {
      name: 'public only, private disabled (the EKS default)',
      snapshot: eksSnapshot(clusterInfo({ resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] } })),
      findings: [{ messageId: 'disabled', data: { cluster: 'prod' }, path: 'endpointPrivateAccess', resource: clusterResource }],
    },
  ],
});

import rule from '../../../shared/rules/cluster/eks-public-endpoint-open.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { clusterInfo, clusterResource, eksSnapshot } from './eks-fixtures.ts';

const vpc = (endpointPublicAccess: boolean, publicAccessCidrs: string[]) => ({
  resourcesVpcConfig: { endpointPublicAccess, endpointPrivateAccess: true, publicAccessCidrs },
});

ruleTester.run(rule, {
  valid: [
    { name: 'private endpoint only', snapshot: eksSnapshot(clusterInfo()) },
    { name: 'public endpoint restricted to an office range', snapshot: eksSnapshot(clusterInfo(vpc(true, ['203.0.113.0/24']))) },
    { name: 'manifest scan without EKS facts: the rule does not run' },
  ],
  invalid: [
    {
      name: 'public endpoint open to 0.0.0.0/0 (the EKS default)',
      snapshot: eksSnapshot(clusterInfo(vpc(true, ['0.0.0.0/0']))),
      findings: [{ messageId: 'open', data: { cluster: 'prod', cidrs: '0.0.0.0/0' }, path: 'publicAccessCidrs', resource: clusterResource, fix: null }],
    },
    {
      name: 'public endpoint with no CIDRs listed means everyone',
      snapshot: eksSnapshot(clusterInfo(vpc(true, []))),
      findings: [{ messageId: 'open', data: { cluster: 'prod', cidrs: '0.0.0.0/0' }, path: 'publicAccessCidrs', resource: clusterResource }],
    },
    {
      name: 'an open IPv6 range among restricted ones',
      snapshot: eksSnapshot(clusterInfo(vpc(true, ['203.0.113.0/24', '::/0']))),
      findings: [{ messageId: 'open', data: { cluster: 'prod', cidrs: '::/0' }, path: 'publicAccessCidrs', resource: clusterResource }],
    },
  ],
});

import rule from '../../../shared/rules/cluster/eks-audit-log-disabled.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { clusterInfo, clusterResource, eksSnapshot } from './eks-fixtures.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'every log type enabled', snapshot: eksSnapshot(clusterInfo()) },
    { name: 'logging unknown (DescribeCluster gave no logging block)', snapshot: eksSnapshot(clusterInfo({ logging: undefined })) },
  ],
  invalid: [
    {
      name: 'audit listed as disabled',
      snapshot: eksSnapshot(
        clusterInfo({
          logging: {
            clusterLogging: [
              { types: ['api', 'authenticator'], enabled: true },
              { types: ['audit', 'controllerManager', 'scheduler'], enabled: false },
            ],
          },
        }),
      ),
      findings: [{ messageId: 'disabled', data: { cluster: 'prod' }, path: 'logging.audit', resource: clusterResource }],
    },
    {
      name: 'every log type disabled (the EKS default)',
      snapshot: eksSnapshot(
        clusterInfo({ logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false }] } }),
      ),
      findings: [{ messageId: 'disabled', path: 'logging.audit', resource: clusterResource }],
    },
  ],
});

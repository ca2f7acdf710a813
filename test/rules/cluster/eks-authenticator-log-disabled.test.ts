import rule from '../../../shared/rules/cluster/eks-authenticator-log-disabled.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { clusterInfo, clusterResource, eksSnapshot } from './eks-fixtures.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'every log type enabled', snapshot: eksSnapshot(clusterInfo()) },
    { name: 'logging unknown', snapshot: eksSnapshot(clusterInfo({ logging: undefined })) },
  ],
  invalid: [
    {
      name: 'only audit enabled',
      snapshot: eksSnapshot(
        clusterInfo({
          logging: {
            clusterLogging: [
              { types: ['audit'], enabled: true },
              { types: ['api', 'authenticator', 'controllerManager', 'scheduler'], enabled: false },
            ],
          },
        }),
      ),
      findings: [{ messageId: 'disabled', data: { cluster: 'prod' }, path: 'logging.authenticator', resource: clusterResource }],
    },
  ],
});

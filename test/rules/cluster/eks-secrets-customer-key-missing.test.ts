import rule from '../../../shared/rules/cluster/eks-secrets-customer-key-missing.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { clusterInfo, clusterResource, eksSnapshot } from './eks-fixtures.ts';

ruleTester.run(rule, {
  valid: [{ name: 'secrets encrypted with a customer-managed key', snapshot: eksSnapshot(clusterInfo()) }],
  invalid: [
    {
      name: 'no encryptionConfig on 1.33: AWS-owned default key, informational',
      snapshot: eksSnapshot(clusterInfo({ encryptionConfig: [] })),
      findings: [{ messageId: 'awsOwnedKey', data: { cluster: 'prod' }, path: 'secretsEncryptionKeyArn', resource: clusterResource, severity: 'info' }],
    },
    {
      name: 'no key on a 1.27 cluster: no envelope encryption at all',
      snapshot: eksSnapshot(clusterInfo({ encryptionConfig: undefined, version: '1.27' })),
      findings: [
        { messageId: 'noEnvelope', data: { cluster: 'prod', version: '1.27' }, path: 'secretsEncryptionKeyArn', resource: clusterResource, severity: 'medium' },
      ],
    },
  ],
});

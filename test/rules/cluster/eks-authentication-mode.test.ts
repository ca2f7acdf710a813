import rule from '../../../shared/rules/cluster/eks-authentication-mode.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { clusterInfo, clusterResource, eksSnapshot } from './eks-fixtures.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'access entries only (API)', snapshot: eksSnapshot(clusterInfo()) },
    { name: 'mode unknown', snapshot: eksSnapshot(clusterInfo({ accessConfig: undefined })) },
  ],
  invalid: [
    {
      name: 'aws-auth ConfigMap only',
      snapshot: eksSnapshot(clusterInfo({ accessConfig: { authenticationMode: 'CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true } })),
      findings: [{ messageId: 'configMap', data: { cluster: 'prod' }, path: 'authenticationMode', resource: clusterResource }],
    },
    {
      name: 'both: the ConfigMap still grants access',
      snapshot: eksSnapshot(clusterInfo({ accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' } })),
      findings: [{ messageId: 'mixed', path: 'authenticationMode', resource: clusterResource, severity: 'low' }],
    },
  ],
});

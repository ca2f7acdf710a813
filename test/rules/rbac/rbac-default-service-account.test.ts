import rule from '../../../shared/rules/rbac/rbac-default-service-account.ts';
import { bootstrapPolicy, clusterRole, clusterRoleBinding, roleBinding, rule as policyRule, sa } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const cmReader = clusterRole('cm-reader', [policyRule([''], ['configmaps'], ['get'])]);

ruleTester.run(rule, {
  valid: [
    { name: 'a dedicated service account', object: roleBinding('shop', 'web', { kind: 'ClusterRole', name: 'cm-reader' }, [sa('shop', 'web')]), objects: [cmReader] },
    { name: 'a built-in binding', object: clusterRoleBinding('system:controller:x', 'system:controller:x', [sa('kube-system', 'default')]), objects: [clusterRole('system:controller:x', [])] },
    { name: 'the bootstrap policy', object: clusterRole('y', []), objects: bootstrapPolicy() },
  ],
  invalid: [
    {
      name: 'default bound in its namespace and another namespace',
      object: clusterRoleBinding('defaults', 'cm-reader', [sa('shop', 'default'), sa('shop', 'web'), sa('bank', 'default')]),
      objects: [cmReader],
      findings: [
        {
          messageId: 'bound',
          path: 'subjects[0]',
          data: { namespace: 'shop', role: 'ClusterRole cm-reader' },
          fix: { description: 'Remove sa:shop:default from ClusterRoleBinding defaults', patch: [{ op: 'remove', path: '/subjects/0' }] },
        },
        { messageId: 'bound', path: 'subjects[2]', data: { namespace: 'bank', role: 'ClusterRole cm-reader' } },
      ],
    },
  ],
});

import rule from '../../../shared/rules/rbac/rbac-public-access.ts';
import { bootstrapPolicy, clusterRole, clusterRoleBinding, group, roleBinding, rule as policyRule, user } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const podReader = clusterRole('pod-reader', [policyRule([''], ['pods'], ['get', 'list'])]);

ruleTester.run(rule, {
  valid: [
    { name: 'bootstrap discovery bindings', object: clusterRoleBinding('system:discovery', 'system:discovery', [group('system:authenticated')]), objects: bootstrapPolicy() },
    { name: 'bootstrap public-info-viewer', object: clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]), objects: bootstrapPolicy() },
    { name: 'bootstrap basic-user self reviews', object: clusterRoleBinding('system:basic-user', 'system:basic-user', [group('system:authenticated')]), objects: bootstrapPolicy() },
    { name: 'a grant to a named user', object: clusterRoleBinding('alice', 'pod-reader', [user('alice')]), objects: [podReader] },
  ],
  invalid: [
    {
      name: 'cluster-admin for anonymous',
      object: clusterRoleBinding('oops', 'cluster-admin', [user('system:anonymous')]),
      objects: bootstrapPolicy(),
      findings: [
        {
          messageId: 'public',
          path: 'subjects[0]',
          data: { subject: 'user:system:anonymous', audience: 'anyone, without credentials', power: 'do anything to any resource in the cluster (cluster-admin)', role: 'ClusterRole cluster-admin' },
          fix: { description: 'Remove user:system:anonymous from ClusterRoleBinding oops', patch: [{ op: 'remove', path: '/subjects/0' }] },
        },
      ],
    },
    {
      name: 'pod read for every authenticated caller in a namespace, and for unauthenticated ones',
      object: roleBinding('shop', 'everyone', { kind: 'ClusterRole', name: 'pod-reader' }, [group('system:authenticated'), user('alice'), group('system:unauthenticated')]),
      objects: [podReader],
      findings: [
        { messageId: 'public', path: 'subjects[0]', data: { subject: 'group:system:authenticated', audience: 'every authenticated caller', power: 'get, list pods', role: 'ClusterRole pod-reader' } },
        { messageId: 'public', path: 'subjects[2]', data: { subject: 'group:system:unauthenticated', audience: 'anyone, without credentials', power: 'get, list pods', role: 'ClusterRole pod-reader' } },
      ],
    },
  ],
});

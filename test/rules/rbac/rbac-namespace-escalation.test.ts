import rule from '../../../shared/rules/rbac/rbac-namespace-escalation.ts';
import { bootstrapPolicy, clusterRoleBinding, roleBinding, sa, serviceAccount, user } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

// `edit` on a namespace lets a user create pods as, impersonate and mint tokens for every service account there.
const aliceEdit = roleBinding('ci', 'alice-edit', { kind: 'ClusterRole', name: 'edit' }, [user('alice')]);

ruleTester.run(rule, {
  valid: [
    { name: 'edit on a namespace whose accounts hold nothing more', object: aliceEdit, objects: [...bootstrapPolicy(), serviceAccount('ci', 'builder')] },
    { name: 'view on a namespace with a cluster-admin account', object: roleBinding('ci', 'alice-view', { kind: 'ClusterRole', name: 'view' }, [user('alice')]), objects: [...bootstrapPolicy(), clusterRoleBinding('deployer-admin', 'cluster-admin', [sa('ci', 'deployer')])] },
    { name: 'a ClusterRoleBinding is judged by the cluster-wide rules', object: clusterRoleBinding('alice-edit', 'edit', [user('alice')]), objects: [...bootstrapPolicy(), clusterRoleBinding('deployer-admin', 'cluster-admin', [sa('ci', 'deployer')])] },
  ],
  invalid: [
    {
      name: 'edit on a namespace holding a cluster-admin service account',
      object: aliceEdit,
      objects: [...bootstrapPolicy(), serviceAccount('ci', 'deployer'), clusterRoleBinding('deployer-admin', 'cluster-admin', [sa('ci', 'deployer')])],
      findings: [
        {
          messageId: 'escalation',
          path: 'subjects[0]',
          severity: 'critical',
          data: { subject: 'user:alice', how: 'can create pods that run as it', account: 'deployer', namespace: 'ci', power: 'do anything to any resource in the cluster (cluster-admin)' },
        },
      ],
    },
  ],
});

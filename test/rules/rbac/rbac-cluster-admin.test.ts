import rule from '../../../shared/rules/rbac/rbac-cluster-admin.ts';
import { bootstrapPolicy, clusterRole, clusterRoleBinding, group, roleBinding, rule as policyRule, sa, user } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const starStarStar = clusterRole('god-mode', [policyRule(['*'], ['*'], ['*'])]);

ruleTester.run(rule, {
  valid: [
    { name: 'cluster-admin bound to system:masters (bootstrap)', object: clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters')], { 'kubernetes.io/bootstrapping': 'rbac-defaults' }), objects: bootstrapPolicy() },
    { name: 'view, edit and admin exist unbound', object: clusterRole('x', []), objects: bootstrapPolicy() },
    { name: 'edit bound to a service account is powerful but not admin', object: clusterRoleBinding('ci-edit', 'edit', [sa('ci', 'deployer')]), objects: bootstrapPolicy() },
    { name: '*/*/* limited by resourceNames is not cluster-admin', object: clusterRoleBinding('named', 'named-star', [sa('shop', 'web')]), objects: [clusterRole('named-star', [policyRule(['*'], ['*'], ['*'], ['one'])])] },
    { name: 'a binding to an undefined ClusterRole that is not a built-in one grants nothing', object: clusterRoleBinding('x', 'not-defined-anywhere', [sa('shop', 'web')]) },
    { name: 'a namespace */*/* grant to a person is delegation', object: roleBinding('shop', 'owner', { kind: 'ClusterRole', name: 'god-mode' }, [user('alice')]), objects: [starStarStar] },
  ],
  invalid: [
    {
      // Kubernetes Goat: a service account bound to cluster-admin.
      name: 'a service account bound to cluster-admin',
      object: clusterRoleBinding('superadmin', 'cluster-admin', [sa('big-monolith', 'big-monolith-sa')]),
      objects: bootstrapPolicy(),
      findings: [
        {
          messageId: 'grant',
          path: 'subjects[0]',
          data: { subject: 'sa:big-monolith:big-monolith-sa', power: 'do anything to any resource in the cluster (cluster-admin)', scope: 'cluster-wide', role: 'ClusterRole cluster-admin' },
          fix: { description: 'Remove sa:big-monolith:big-monolith-sa from ClusterRoleBinding superadmin', patch: [{ op: 'remove', path: '/subjects/0' }] },
        },
      ],
    },
    {
      // A manifest scan: the chart binds the built-in cluster-admin without defining it.
      name: 'a service account bound to cluster-admin when the snapshot does not hold the ClusterRole',
      object: clusterRoleBinding('superadmin', 'cluster-admin', [sa('big-monolith', 'big-monolith-sa')]),
      findings: [
        {
          messageId: 'grant',
          path: 'subjects[0]',
          data: { subject: 'sa:big-monolith:big-monolith-sa', power: 'do anything to any resource in the cluster (cluster-admin)', scope: 'cluster-wide', role: 'ClusterRole cluster-admin' },
        },
      ],
    },
    {
      name: 'a */*/* ClusterRole bound cluster-wide to a group',
      object: clusterRoleBinding('ops', 'god-mode', [group('ops')]),
      objects: [starStarStar],
      findings: [{ messageId: 'grant', path: 'subjects[0]', data: { subject: 'group:ops', power: 'do anything to any resource in the cluster (cluster-admin)', scope: 'cluster-wide', role: 'ClusterRole god-mode' } }],
    },
    {
      name: 'a */*/* ClusterRole bound in a namespace: namespace admin, not cluster-admin',
      object: roleBinding('shop', 'owner', { kind: 'ClusterRole', name: 'god-mode' }, [sa('shop', 'web')]),
      objects: [starStarStar],
      findings: [{ messageId: 'grant', path: 'subjects[0]', severity: 'high', data: { subject: 'sa:shop:web', power: 'do anything to any resource in the namespace', scope: 'in namespace shop', role: 'ClusterRole god-mode' } }],
    },
    {
      name: 'an aggregated ClusterRole that aggregates */*/*',
      object: clusterRoleBinding('agg', 'aggregator', [sa('shop', 'web')]),
      objects: [clusterRole('aggregator', null, { aggregateFrom: ['example.com/aggregate-to-aggregator'] }), clusterRole('piece', [policyRule(['*'], ['*'], ['*'])], { labels: { 'example.com/aggregate-to-aggregator': 'true' } })],
      findings: [{ messageId: 'grant', path: 'subjects[0]', data: { subject: 'sa:shop:web', power: 'do anything to any resource in the cluster (cluster-admin)', scope: 'cluster-wide', role: 'ClusterRole aggregator' } }],
    },
  ],
});

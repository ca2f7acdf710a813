import rule from '../../../shared/rules/rbac/rbac-wildcard.ts';
import { bootstrapPolicy, clusterRole, role, rule as policyRule } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'explicit verbs and resources', object: role('shop', 'reader', [policyRule([''], ['pods'], ['get', 'list'])]) },
    { name: 'bootstrap cluster-admin', object: bootstrapPolicy()[0]! },
    { name: 'aggregated roles (rules are copies)', object: clusterRole('agg', [policyRule(['*'], ['*'], ['*'])], { aggregateFrom: ['x'] }) },
    { name: 'system: roles', object: clusterRole('system:kube-controller-manager', [policyRule(['*'], ['*'], ['list', 'watch'])]) },
  ],
  invalid: [
    {
      // Kubernetes Goat style */*/* ClusterRole.
      name: 'a */*/* ClusterRole',
      object: clusterRole('all-powerful', [policyRule(['*'], ['*'], ['*'])]),
      findings: [{ messageId: 'everything', path: 'rules[0]', severity: 'high', data: { index: 0, kind: 'ClusterRole', name: 'all-powerful' } }],
    },
    {
      name: 'wildcard verbs and wildcard resources in a Role',
      object: role('shop', 'loose', [policyRule([''], ['pods'], ['get']), policyRule(['apps'], ['deployments'], ['*']), policyRule([''], ['*'], ['get'])]),
      findings: [
        { messageId: 'verbs', path: 'rules[1]', data: { index: 1, kind: 'Role', name: 'loose', resources: 'deployments' } },
        { messageId: 'resources', path: 'rules[2]', data: { index: 2, kind: 'Role', name: 'loose', verbs: 'get', groups: 'core' } },
      ],
    },
  ],
});

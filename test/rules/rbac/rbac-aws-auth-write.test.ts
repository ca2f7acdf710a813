import riskRule from '../../../shared/rules/rbac/rbac-aws-auth-write.ts';
import { clusterRole, clusterRoleBinding, roleBinding, rule, sa } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { bindingRiskCases } from './binding-risk-cases.ts';

ruleTester.run(
  riskRule,
  bindingRiskCases({
    grant: rule([''], ['configmaps'], ['update'], ['aws-auth']),
    power: 'rewrite the kube-system/aws-auth ConfigMap (map any IAM principal to system:masters)',
    cluster: 'critical',
    namespace: 'critical',
    namespaceName: 'kube-system',
    extraValid: [
      { name: 'configmaps of another namespace', object: roleBinding('shop', 'cm', { kind: 'ClusterRole', name: 'cm-writer' }, [sa('shop', 'web')]), objects: [clusterRole('cm-writer', [rule([''], ['configmaps'], ['update'])])] },
      { name: 'other named configmaps', object: clusterRoleBinding('cm', 'other-cm', [sa('shop', 'web')]), objects: [clusterRole('other-cm', [rule([''], ['configmaps'], ['update'], ['app-config'])])] },
    ],
  }),
);

import riskRule from '../../../shared/rules/rbac/rbac-write-rbac.ts';
import { rule } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { bindingRiskCases } from './binding-risk-cases.ts';

ruleTester.run(
  riskRule,
  bindingRiskCases({
    grant: rule(['rbac.authorization.k8s.io'], ['rolebindings'], ['create']),
    power: 'write RBAC roles and bindings',
    cluster: 'medium',
    namespace: 'low',
  }),
);

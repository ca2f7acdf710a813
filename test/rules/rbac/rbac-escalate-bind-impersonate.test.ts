import riskRule from '../../../shared/rules/rbac/rbac-escalate-bind-impersonate.ts';
import { rule } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { bindingRiskCases } from './binding-risk-cases.ts';

ruleTester.run(
  riskRule,
  bindingRiskCases({
    grant: rule(['rbac.authorization.k8s.io'], ['clusterroles', 'roles'], ['bind']),
    power: 'bind roles it does not hold',
    cluster: 'high',
    namespace: 'medium',
  }),
);

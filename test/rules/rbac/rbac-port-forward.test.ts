import riskRule from '../../../shared/rules/rbac/rbac-port-forward.ts';
import { rule } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { bindingRiskCases } from './binding-risk-cases.ts';

ruleTester.run(
  riskRule,
  bindingRiskCases({
    grant: rule([''], ['pods/portforward'], ['create']),
    power: 'port-forward into pods',
    cluster: 'medium',
    namespace: 'low',
  }),
);

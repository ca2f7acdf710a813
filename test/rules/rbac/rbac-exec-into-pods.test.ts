import riskRule from '../../../shared/rules/rbac/rbac-exec-into-pods.ts';
import { rule } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { bindingRiskCases } from './binding-risk-cases.ts';

ruleTester.run(
  riskRule,
  bindingRiskCases({
    grant: rule([''], ['pods/exec'], ['create']),
    power: 'exec into pods',
    cluster: 'high',
    namespace: 'medium',
  }),
);

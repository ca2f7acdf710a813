import riskRule from '../../../shared/rules/rbac/rbac-token-create.ts';
import { rule } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { bindingRiskCases } from './binding-risk-cases.ts';

ruleTester.run(
  riskRule,
  bindingRiskCases({
    grant: rule([''], ['serviceaccounts/token'], ['create']),
    power: 'mint service account tokens',
    cluster: 'high',
    namespace: 'medium',
  }),
);

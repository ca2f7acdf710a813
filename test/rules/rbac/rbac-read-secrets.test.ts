import riskRule from '../../../shared/rules/rbac/rbac-read-secrets.ts';
import { rule } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { bindingRiskCases } from './binding-risk-cases.ts';

ruleTester.run(
  riskRule,
  bindingRiskCases({
    grant: rule([''], ['secrets'], ['get', 'list']),
    power: 'read secrets',
    cluster: 'high',
    namespace: 'medium',
  }),
);

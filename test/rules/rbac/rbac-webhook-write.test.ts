import riskRule from '../../../shared/rules/rbac/rbac-webhook-write.ts';
import { rule } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { bindingRiskCases } from './binding-risk-cases.ts';

ruleTester.run(
  riskRule,
  bindingRiskCases({
    grant: rule(['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations'], ['patch']),
    power: 'change admission webhooks (intercept or disable admission control)',
    cluster: 'high',
  }),
);

import riskRule from '../../../shared/rules/rbac/rbac-create-pods.ts';
import { rule } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { bindingRiskCases } from './binding-risk-cases.ts';

ruleTester.run(
  riskRule,
  bindingRiskCases({
    grant: rule(['apps'], ['deployments'], ['create']),
    power: 'create pods (directly or through a workload controller) and so run as any service account there',
    cluster: 'high',
    namespace: 'medium',
  }),
);

import riskRule from '../../../shared/rules/rbac/rbac-create-persistent-volumes.ts';
import { rule } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { bindingRiskCases } from './binding-risk-cases.ts';

ruleTester.run(
  riskRule,
  bindingRiskCases({
    grant: rule([''], ['persistentvolumes'], ['create']),
    power: 'create persistent volumes (hostPath volumes reach the node)',
    cluster: 'high',
  }),
);

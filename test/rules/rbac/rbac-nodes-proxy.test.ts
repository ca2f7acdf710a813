import riskRule from '../../../shared/rules/rbac/rbac-nodes-proxy.ts';
import { rule } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { bindingRiskCases } from './binding-risk-cases.ts';

ruleTester.run(
  riskRule,
  bindingRiskCases({
    grant: rule([''], ['nodes/proxy'], ['get']),
    power: 'reach the kubelet API through nodes/proxy',
    cluster: 'high',
  }),
);

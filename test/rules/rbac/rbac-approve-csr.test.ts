import riskRule from '../../../shared/rules/rbac/rbac-approve-csr.ts';
import { rule } from '../../rbac/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { bindingRiskCases } from './binding-risk-cases.ts';

ruleTester.run(
  riskRule,
  bindingRiskCases({
    grant: rule(['certificates.k8s.io'], ['certificatesigningrequests/approval'], ['update']),
    power: 'approve certificate signing requests',
    cluster: 'high',
  }),
);

import rule from '../../../shared/rules/network/namespace-default-deny-missing.ts';
import { deployment } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { allowFromFrontend, defaultDenyIngress, networkPolicy } from './network-fixtures.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'default deny present', objects: [deployment(), defaultDenyIngress(), allowFromFrontend('web')] },
    { name: 'policyTypes omitted still governs ingress', objects: [deployment(), networkPolicy('deny', { podSelector: {} })] },
    { name: 'no policy at all is namespace-network-policy-missing\'s finding', objects: [deployment()] },
    {
      name: 'a catch-all policy that admits only named callers isolates every pod',
      objects: [deployment(), networkPolicy('only-frontend', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }] })],
    },
  ],
  invalid: [
    {
      name: 'only per-app allow policies',
      objects: [deployment(), allowFromFrontend('web')],
      findings: [{ messageId: 'missing', data: { namespace: 'shop', count: 1 }, path: '', resource: { kind: 'Namespace', name: 'shop' } }],
    },
    {
      name: 'an egress-only catch-all does not deny ingress',
      objects: [deployment(), networkPolicy('deny-egress', { podSelector: {}, policyTypes: ['Egress'] })],
      findings: [{ messageId: 'missing', path: '', resource: { kind: 'Namespace', name: 'shop' } }],
    },
    {
      name: 'a catch-all that allows everything is not a deny',
      objects: [deployment(), networkPolicy('allow-all', { podSelector: {}, ingress: [{}] })],
      findings: [{ messageId: 'missing', path: '', resource: { kind: 'Namespace', name: 'shop' } }],
    },
  ],
});

import rule from '../../../shared/rules/network/namespace-network-policy-missing.ts';
import { deployment, namespace } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { allowFromFrontend, defaultDenyIngress, networkPolicy } from './network-fixtures.ts';

const shop = { kind: 'Namespace', name: 'shop' };

ruleTester.run(rule, {
  valid: [
    { name: 'default deny selects every workload', objects: [namespace('shop'), deployment(), deployment({ name: 'api' }), defaultDenyIngress()] },
    { name: 'each workload selected by its own policy', objects: [deployment(), allowFromFrontend('web')] },
    { name: 'kube-system is left to the platform', objects: [deployment({ name: 'coredns', namespace: 'kube-system' })] },
    { name: 'a namespace without workloads', objects: [namespace('empty')] },
    {
      name: 'an incomplete NetworkPolicy list proves nothing',
      objects: [deployment()],
      snapshot: { coverage: { Deployment: { complete: true, count: 1 }, NetworkPolicy: { complete: false, count: 0, error: 'forbidden: list networkpolicies' } } },
    },
    {
      name: 'matchExpressions select the workload',
      objects: [deployment(), networkPolicy('web', { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] } })],
    },
  ],
  invalid: [
    {
      name: 'a namespace with workloads and no policy',
      objects: [deployment(), deployment({ name: 'api' })],
      findings: [{ messageId: 'none', data: { namespace: 'shop', count: 2 }, path: '', resource: shop }],
    },
    {
      name: 'a policy that selects only one of two workloads',
      objects: [deployment(), deployment({ name: 'api' }), allowFromFrontend('web')],
      findings: [{ messageId: 'unselected', data: { namespace: 'shop', count: 1, workloads: 'Deployment/api' }, path: '', resource: shop }],
    },
    {
      name: 'a policy in another namespace does not count',
      objects: [deployment({ namespace: 'billing' }), defaultDenyIngress('shop'), deployment()],
      findings: [{ messageId: 'none', data: { namespace: 'billing', count: 1 }, path: '', resource: { kind: 'Namespace', name: 'billing' } }],
    },
  ],
});

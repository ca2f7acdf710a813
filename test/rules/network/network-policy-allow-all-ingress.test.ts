import rule from '../../../shared/rules/network/network-policy-allow-all-ingress.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { allowFromFrontend, defaultDenyIngress, networkPolicy } from './network-fixtures.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'default deny', object: defaultDenyIngress() },
    { name: 'allow from named pods', object: allowFromFrontend('web') },
    { name: 'ipBlock with an exception is deliberate', object: networkPolicy('lb', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }] }) },
    { name: 'egress-only policy', object: networkPolicy('egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] }) },
    { name: 'kube-system is left to the platform', object: networkPolicy('all', { podSelector: {}, ingress: [{}] }, 'kube-system') },
  ],
  invalid: [
    {
      name: 'an ingress rule without from',
      object: networkPolicy('allow-all', { podSelector: {}, ingress: [{ ports: [{ port: 8080 }] }] }),
      findings: [
        {
          messageId: 'allowAll',
          data: { policy: 'allow-all', pods: 'every pod of the namespace', reason: 'it has no `from`, so every source is allowed' },
          path: 'spec.ingress[0]',
        },
      ],
    },
    {
      name: 'an ipBlock of 0.0.0.0/0 beside a narrow rule',
      object: networkPolicy('web', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }, { from: [{ namespaceSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0' } }] }],
      }),
      findings: [{ messageId: 'allowAll', data: { policy: 'web', pods: 'the selected pods', reason: 'it allows ipBlock 0.0.0.0/0' }, path: 'spec.ingress[1].from[1]' }],
    },
  ],
});

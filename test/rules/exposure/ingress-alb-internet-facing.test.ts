import rule from '../../../shared/rules/exposure/ingress-alb-internet-facing.ts';
import { deployment } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { ingress, service } from './exposure-fixtures.ts';

const scheme = 'alb.ingress.kubernetes.io/scheme';

ruleTester.run(rule, {
  valid: [
    { name: 'ALB default scheme is internal', object: ingress('shop') },
    { name: 'explicitly internal', object: ingress('shop', { annotations: { [scheme]: 'internal' } }) },
    { name: 'internet-facing but limited by inbound-cidrs', object: ingress('shop', { annotations: { [scheme]: 'internet-facing', 'alb.ingress.kubernetes.io/inbound-cidrs': '203.0.113.0/24' } }) },
  ],
  invalid: [
    {
      name: 'internet-facing ALB in front of a deployment',
      object: ingress('shop', { annotations: { [scheme]: 'internet-facing' } }),
      objects: [service('web'), deployment(), deployment({ name: 'worker', templateMetadata: { labels: { app: 'worker' } } })],
      findings: [
        {
          messageId: 'public',
          data: { ingress: 'shop', workloads: 'Deployment/web' },
          path: 'metadata.annotations["alb.ingress.kubernetes.io/scheme"]',
          fix: { description: 'Make the ALB internal', patch: [{ op: 'replace', path: '/metadata/annotations/alb.ingress.kubernetes.io~1scheme', value: 'internal' }] },
        },
      ],
    },
  ],
});

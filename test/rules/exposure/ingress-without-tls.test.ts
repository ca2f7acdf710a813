import rule from '../../../shared/rules/exposure/ingress-without-tls.ts';
import { deployment } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { ingress, service } from './exposure-fixtures.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'spec.tls present', object: ingress('shop', { tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }] }) },
    { name: 'ALB with an ACM certificate', object: ingress('shop', { annotations: { 'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:eu-west-1:111122223333:certificate/abc' } }) },
    { name: 'ALB with an HTTPS listener', object: ingress('shop', { annotations: { 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]' } }) },
  ],
  invalid: [
    {
      name: 'plain HTTP ingress, resolved to its workload',
      object: ingress('shop'),
      objects: [service('web'), deployment()],
      findings: [{ messageId: 'noTls', data: { ingress: 'shop', workloads: 'Deployment/web' }, path: 'spec' }],
    },
    {
      name: 'HTTP-only ALB listener',
      object: ingress('shop', { annotations: { 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80}]' } }),
      findings: [{ messageId: 'noTls', data: { ingress: 'shop', workloads: 'its backends' }, path: 'spec' }],
    },
  ],
});

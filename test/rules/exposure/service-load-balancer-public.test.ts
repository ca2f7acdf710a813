import rule from '../../../shared/rules/exposure/service-load-balancer-public.ts';
import { deployment } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';
import { service } from './exposure-fixtures.ts';

const lb = (annotations: Record<string, string> = {}, spec: Record<string, unknown> = {}) => service('web', { type: 'LoadBalancer', annotations, spec });

ruleTester.run(rule, {
  valid: [
    { name: 'ClusterIP', object: service('web'), objects: [deployment()] },
    { name: 'in-tree internal annotation', object: lb({ 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' }) },
    { name: 'scheme internal', object: lb({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' }) },
    { name: 'AWS Load Balancer Controller NLB defaults to internal', object: lb({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' }) },
    { name: 'EKS Auto Mode NLB defaults to internal', object: lb({}, { loadBalancerClass: 'eks.amazonaws.com/nlb' }) },
    { name: 'source ranges limited to an office', object: lb({}, { loadBalancerSourceRanges: ['203.0.113.0/24'] }) },
  ],
  invalid: [
    {
      name: 'a dashboard behind a plain LoadBalancer',
      object: lb(),
      objects: [deployment(), deployment({ name: 'other' })],
      findings: [
        {
          messageId: 'public',
          data: { service: 'web', reason: 'no internal annotation or scheme, no source ranges', workloads: 'Deployment/web' },
          path: 'spec.type',
          fix: {
            description: 'Make the load balancer internal (service.beta.kubernetes.io/aws-load-balancer-internal: "true")',
            patch: [{ op: 'add', path: '/metadata/annotations/service.beta.kubernetes.io~1aws-load-balancer-internal', value: 'true' }],
          },
        },
      ],
    },
    {
      name: 'AWS Load Balancer Controller NLB with scheme internet-facing',
      object: lb({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'external', 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' }),
      findings: [
        {
          messageId: 'public',
          data: { service: 'web', reason: 'scheme internet-facing, no source ranges', workloads: 'no workload in the snapshot' },
          path: 'spec.type',
          fix: {
            description: 'Make the load balancer internal (service.beta.kubernetes.io/aws-load-balancer-scheme: "internal")',
            patch: [{ op: 'replace', path: '/metadata/annotations/service.beta.kubernetes.io~1aws-load-balancer-scheme', value: 'internal' }],
          },
        },
      ],
    },
    {
      name: 'source ranges that include 0.0.0.0/0',
      object: lb({ 'service.beta.kubernetes.io/aws-load-balancer-internal': 'false' }, { loadBalancerSourceRanges: ['10.0.0.0/8', '0.0.0.0/0'] }),
      objects: [deployment()],
      findings: [{ messageId: 'public', data: { service: 'web', reason: 'source ranges include 0.0.0.0/0', workloads: 'Deployment/web' }, path: 'spec.type' }],
    },
  ],
});

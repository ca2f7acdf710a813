import rule from '../../../shared/rules/workload/missing-resource-requests.ts';
import { container, daemonSet, deployment, hardenedPodSpec, job, limitRange, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

type Json = Record<string, unknown>;
const hardened = (hardenedPodSpec().containers as Json[])[0]!;
const withResources = (resources: unknown, overrides: Json = {}): Json => ({ ...hardened, resources, ...overrides });

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'limits alone: requests default to them', object: pod({ spec: hardenedPodSpec({ containers: [withResources({ limits: { cpu: '1', memory: '1Gi' } })] }) }) },
    {
      name: 'a LimitRange defaultRequest',
      object: deployment({ spec: hardenedPodSpec({ containers: [container()] }) }),
      objects: [limitRange('shop', { defaultRequest: { cpu: '100m' }, default: { memory: '256Mi' } })],
    },
    { name: 'pod-level requests', object: pod({ spec: hardenedPodSpec({ resources: { requests: { cpu: '1', memory: '1Gi' } }, containers: [container()] }) }) },
  ],
  invalid: [
    {
      name: 'no resources in a daemonset',
      object: daemonSet({ spec: hardenedPodSpec({ containers: [container()] }) }),
      findings: [{ messageId: 'missing', severity: 'low', container: 'app', data: { container: 'app', resources: 'CPU or memory' }, path: 'spec.template.spec.containers[0].resources.requests', fix: null }],
    },
    {
      name: 'memory request missing in an init container of a job',
      object: job({ spec: hardenedPodSpec({ initContainers: [withResources({ requests: { cpu: '100m' } }, { name: 'init' })] }) }),
      findings: [{ messageId: 'missing', container: 'init', data: { container: 'init', resources: 'memory' }, path: 'spec.template.spec.initContainers[0].resources.requests' }],
    },
    {
      name: 'malformed requests do not throw',
      object: pod({ spec: hardenedPodSpec({ containers: [withResources({ requests: ['cpu'], limits: 4 })] }) }),
      findings: [{ messageId: 'missing', path: 'spec.containers[0].resources.requests' }],
    },
  ],
});

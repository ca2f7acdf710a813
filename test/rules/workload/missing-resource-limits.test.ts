import rule from '../../../shared/rules/workload/missing-resource-limits.ts';
import { container, cronJob, deployment, hardenedPodSpec, limitRange, pod, statefulSet } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

type Json = Record<string, unknown>;
const hardened = (hardenedPodSpec().containers as Json[])[0]!;
const withResources = (resources: unknown, overrides: Json = {}): Json => ({ ...hardened, resources, ...overrides });
ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    {
      name: 'a LimitRange of the namespace gives default limits',
      object: deployment({ spec: hardenedPodSpec({ containers: [container()] }) }),
      objects: [limitRange('shop', { default: { cpu: '500m', memory: '256Mi' } })],
    },
    {
      name: 'a LimitRange and a workload without namespaces (manifests) match',
      object: { ...deployment({ spec: hardenedPodSpec({ containers: [container()] }) }), metadata: { name: 'web' } },
      objects: [limitRange(undefined, { default: { cpu: 1, memory: '1Gi' } })],
    },
    {
      name: 'pod-level limits cover every container',
      object: pod({ spec: hardenedPodSpec({ resources: { limits: { cpu: '1', memory: '1Gi' } }, containers: [container(), container({ name: 'sidecar' })] }) }),
    },
    {
      name: 'ephemeral containers cannot have resources',
      object: pod({ spec: hardenedPodSpec({ ephemeralContainers: [container({ name: 'debug' })] }) }),
    },
  ],
  invalid: [
    {
      name: 'no resources at all: medium, no fix to guess',
      object: deployment({ spec: hardenedPodSpec({ containers: [container()] }) }),
      findings: [{ messageId: 'missing', severity: 'medium', container: 'app', data: { container: 'app', resources: 'CPU or memory' }, path: 'spec.template.spec.containers[0].resources.limits', fix: null }],
    },
    {
      name: 'only the CPU limit missing is low, fixed from the request',
      object: statefulSet({ spec: hardenedPodSpec({ containers: [withResources({ requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '1Gi', 'ephemeral-storage': '1Gi' } })] }) }),
      findings: [
        {
          messageId: 'missing',
          severity: 'low',
          data: { container: 'app', resources: 'CPU' },
          path: 'spec.template.spec.containers[0].resources.limits',
          fix: {
            description: 'Set the CPU limit to the current request (then adjust to measured usage)',
            patch: [{ op: 'replace', path: '/spec/template/spec/containers/0/resources/limits', value: { memory: '1Gi', 'ephemeral-storage': '1Gi', cpu: '250m' } }],
          },
        },
      ],
    },
    {
      name: 'requests but no limits in an init container of a cronjob',
      object: cronJob({ spec: hardenedPodSpec({ initContainers: [withResources({ requests: { cpu: '100m', memory: '64Mi' } }, { name: 'init' })] }) }),
      findings: [
        {
          messageId: 'missing',
          severity: 'medium',
          container: 'init',
          data: { container: 'init', resources: 'CPU or memory' },
          path: 'spec.jobTemplate.spec.template.spec.initContainers[0].resources.limits',
          fix: {
            description: 'Set the CPU or memory limit to the current request (then adjust to measured usage)',
            patch: [{ op: 'add', path: '/spec/jobTemplate/spec/template/spec/initContainers/0/resources/limits', value: { cpu: '100m', memory: '64Mi' } }],
          },
        },
      ],
    },
    {
      name: 'a LimitRange of another namespace, or with only a CPU default, does not cover memory',
      object: deployment({ spec: hardenedPodSpec({ containers: [container()] }) }),
      objects: [limitRange('other', { default: { cpu: '1', memory: '1Gi' } }), limitRange('shop', { default: { cpu: '1' }, defaultRequest: { memory: '1Gi' } })],
      findings: [{ messageId: 'missing', data: { container: 'app', resources: 'memory' }, path: 'spec.template.spec.containers[0].resources.limits', fix: null }],
    },
    {
      name: 'a Pod-type LimitRange item is not a container default',
      object: pod({ spec: hardenedPodSpec({ containers: [container()] }) }),
      objects: [{ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'pods', namespace: 'shop' }, spec: { limits: [{ type: 'Pod', default: { cpu: '1', memory: '1Gi' } }, 'junk'] } }],
      findings: [{ messageId: 'missing', path: 'spec.containers[0].resources.limits' }],
    },
    {
      name: 'malformed resources and empty quantities do not throw',
      object: pod({ spec: hardenedPodSpec({ resources: 'big', containers: [withResources('lots'), withResources({ limits: { cpu: '', memory: null } }, { name: 'b' })] }) }),
      findings: [
        { messageId: 'missing', container: 'app', path: 'spec.containers[0].resources.limits' },
        { messageId: 'missing', container: 'b', path: 'spec.containers[1].resources.limits' },
      ],
    },
  ],
});

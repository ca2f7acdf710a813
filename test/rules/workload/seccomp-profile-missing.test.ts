import rule from '../../../shared/rules/workload/seccomp-profile-missing.ts';
import { container, cronJob, deployment, hardenedPodSpec, pod, statefulSet } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const noSeccomp = { runAsNonRoot: true };

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment (pod-level RuntimeDefault)', object: deployment() },
    { name: 'pod-level Localhost', object: pod({ spec: hardenedPodSpec({ securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p' } } }) }) },
    {
      name: 'every container sets its own profile',
      object: pod({
        spec: hardenedPodSpec({
          securityContext: noSeccomp,
          initContainers: [container({ name: 'init', securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p' } } })],
          containers: [container({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } })],
        }),
      }),
    },
    { name: 'Windows pods are exempt', object: pod({ spec: { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [container()] } }) },
    { name: 'Unconfined is left to seccomp-unconfined', object: pod({ spec: hardenedPodSpec({ securityContext: { seccompProfile: { type: 'Unconfined' } } }) }) },
  ],
  invalid: [
    {
      name: 'no profile anywhere in a deployment',
      object: deployment({ spec: hardenedPodSpec({ securityContext: noSeccomp }) }),
      findings: [
        {
          messageId: 'missing',
          data: { container: 'app' },
          container: 'app',
          path: 'spec.template.spec.containers[0].securityContext.seccompProfile',
          fix: {
            description: 'Use the RuntimeDefault seccomp profile for the pod',
            patch: [{ op: 'add', path: '/spec/template/spec/securityContext/seccompProfile', value: { type: 'RuntimeDefault' } }],
          },
        },
      ],
    },
    {
      name: 'one container of two sets a profile (cronjob with init container)',
      object: cronJob({
        spec: hardenedPodSpec({
          securityContext: noSeccomp,
          initContainers: [container({ name: 'init', securityContext: { seccompProfile: { type: 'RuntimeDefault' } } })],
          containers: [container()],
        }),
      }),
      findings: [{ messageId: 'missing', container: 'app', path: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.seccompProfile' }],
    },
    {
      name: 'a pod-level profile without a valid type is reported once, on the pod',
      object: statefulSet({ spec: hardenedPodSpec({ securityContext: { seccompProfile: {} }, ephemeralContainers: [container({ name: 'debug' })] }) }),
      findings: [
        {
          messageId: 'pod',
          data: { type: '' },
          path: 'spec.template.spec.securityContext.seccompProfile.type',
          fix: { description: 'Use the RuntimeDefault seccomp profile', patch: [{ op: 'replace', path: '/spec/template/spec/securityContext/seccompProfile', value: { type: 'RuntimeDefault' } }] },
        },
      ],
    },
    {
      name: 'a container with an unknown type',
      object: pod({ spec: hardenedPodSpec({ containers: [container({ securityContext: { seccompProfile: { type: 'docker/default' } } })] }) }),
      findings: [{ messageId: 'container', data: { container: 'app', type: 'docker/default' }, container: 'app', path: 'spec.containers[0].securityContext.seccompProfile.type' }],
    },
    {
      name: 'no pod security context at all: the fix creates it',
      object: pod({ spec: { containers: [container()] } }),
      findings: [
        {
          messageId: 'missing',
          path: 'spec.containers[0].securityContext.seccompProfile',
          fix: {
            description: 'Use the RuntimeDefault seccomp profile for the pod',
            patch: [{ op: 'add', path: '/spec/securityContext', value: { seccompProfile: { type: 'RuntimeDefault' } } }],
          },
        },
      ],
    },
  ],
});

import rule from '../../../shared/rules/workload/seccomp-unconfined.ts';
import { container, cronJob, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'no seccomp profile at all is baseline-compliant', object: pod({ spec: { containers: [container()] } }) },
    { name: 'Localhost profile', object: pod({ spec: hardenedPodSpec({ containers: [container({ securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } })] }) }) },
    { name: 'malformed profile does not throw', object: pod({ spec: hardenedPodSpec({ securityContext: { seccompProfile: 'Unconfined' } }) }) },
  ],
  invalid: [
    {
      name: 'pod-level Unconfined in a deployment',
      object: deployment({ spec: hardenedPodSpec({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } } }) }),
      findings: [
        {
          messageId: 'pod',
          path: 'spec.template.spec.securityContext.seccompProfile.type',
          fix: {
            description: 'Use the RuntimeDefault seccomp profile',
            patch: [{ op: 'replace', path: '/spec/template/spec/securityContext/seccompProfile', value: { type: 'RuntimeDefault' } }],
          },
        },
      ],
    },
    {
      name: 'a container overriding a good pod profile with Unconfined (cronjob)',
      object: cronJob({ spec: hardenedPodSpec({ initContainers: [container({ name: 'init', securityContext: { seccompProfile: { type: 'Unconfined' } } })] }) }),
      findings: [{ messageId: 'container', data: { container: 'init' }, container: 'init', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.seccompProfile.type' }],
    },
    {
      name: 'Windows pods are not exempt at the baseline level',
      object: pod({ spec: { os: { name: 'windows' }, containers: [container({ securityContext: { seccompProfile: { type: 'Unconfined' } } })] } }),
      findings: [{ messageId: 'container', container: 'app', path: 'spec.containers[0].securityContext.seccompProfile.type' }],
    },
  ],
});

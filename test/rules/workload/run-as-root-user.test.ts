import rule from '../../../shared/rules/workload/run-as-root-user.ts';
import { container, cronJob, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'non-zero users', object: pod({ spec: hardenedPodSpec({ securityContext: { runAsNonRoot: true, runAsUser: 1000 }, containers: [container({ securityContext: { runAsUser: 65532 } })] }) }) },
    { name: 'pods with their own user namespace are exempt (v1.35)', object: pod({ spec: hardenedPodSpec({ hostUsers: false, securityContext: { runAsUser: 0 }, containers: [container({ securityContext: { runAsUser: 0 } })] }) }) },
    { name: 'a string "0" does not throw', object: pod({ spec: hardenedPodSpec({ securityContext: { runAsUser: '0' } }) }) },
  ],
  invalid: [
    {
      name: 'pod-level root in a deployment',
      object: deployment({ spec: hardenedPodSpec({ securityContext: { runAsNonRoot: true, runAsUser: 0 } }) }),
      findings: [
        {
          messageId: 'pod',
          path: 'spec.template.spec.securityContext.runAsUser',
          fix: { description: 'Remove runAsUser: 0', patch: [{ op: 'remove', path: '/spec/template/spec/securityContext/runAsUser' }] },
        },
      ],
    },
    {
      name: 'containers of a cronjob',
      object: cronJob({
        spec: hardenedPodSpec({
          initContainers: [container({ name: 'init', securityContext: { runAsUser: 0 } })],
          containers: [container({ securityContext: { runAsUser: 0 } })],
        }),
      }),
      findings: [
        { messageId: 'container', data: { container: 'init' }, container: 'init', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.runAsUser' },
        { messageId: 'container', data: { container: 'app' }, container: 'app', path: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.runAsUser' },
      ],
    },
    {
      name: 'hostUsers: true is no exemption (ephemeral container in a pod)',
      object: pod({ spec: hardenedPodSpec({ hostUsers: true, ephemeralContainers: [container({ name: 'debug', securityContext: { runAsUser: 0 } })] }) }),
      findings: [{ messageId: 'container', container: 'debug', path: 'spec.ephemeralContainers[0].securityContext.runAsUser' }],
    },
  ],
});

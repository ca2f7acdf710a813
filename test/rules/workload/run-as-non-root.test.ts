import rule from '../../../shared/rules/workload/run-as-non-root.ts';
import { container, cronJob, deployment, hardenedPodSpec, job, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const seccomp = { seccompProfile: { type: 'RuntimeDefault' } };

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment (pod-level true)', object: deployment() },
    {
      name: 'every container sets true, pod unset',
      object: pod({ spec: hardenedPodSpec({ securityContext: seccomp, initContainers: [container({ name: 'init', securityContext: { runAsNonRoot: true } })], containers: [container({ securityContext: { runAsNonRoot: true } })] }) }),
    },
    { name: 'pods with their own user namespace are exempt (v1.35)', object: pod({ spec: { hostUsers: false, securityContext: { runAsNonRoot: false }, containers: [container()] } }) },
    { name: 'Windows pods are not exempt; pod-level true satisfies them', object: pod({ spec: { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [container()] } }) },
  ],
  invalid: [
    {
      name: 'nothing set in a deployment: the fix sets it on the pod',
      object: deployment({ spec: hardenedPodSpec({ securityContext: seccomp }) }),
      findings: [
        {
          messageId: 'unset',
          data: { container: 'app' },
          container: 'app',
          path: 'spec.template.spec.containers[0].securityContext.runAsNonRoot',
          fix: { description: 'Set runAsNonRoot to true for the pod', patch: [{ op: 'add', path: '/spec/template/spec/securityContext/runAsNonRoot', value: true }] },
        },
      ],
    },
    {
      name: 'pod false is reported once, not once per inheriting container (job)',
      object: job({ spec: hardenedPodSpec({ securityContext: { runAsNonRoot: false }, initContainers: [container({ name: 'init' })] }) }),
      findings: [
        {
          messageId: 'pod',
          path: 'spec.template.spec.securityContext.runAsNonRoot',
          fix: { description: 'Set runAsNonRoot to true', patch: [{ op: 'replace', path: '/spec/template/spec/securityContext/runAsNonRoot', value: true }] },
        },
      ],
    },
    {
      name: 'pod false is reported even when every container overrides it, as upstream does',
      object: pod({ spec: hardenedPodSpec({ securityContext: { runAsNonRoot: false }, containers: [container({ securityContext: { runAsNonRoot: true } })] }) }),
      findings: [{ messageId: 'pod', path: 'spec.securityContext.runAsNonRoot' }],
    },
    {
      name: 'a container overriding pod true with false (cronjob init and ephemeral containers)',
      object: cronJob({
        spec: hardenedPodSpec({
          initContainers: [container({ name: 'init', securityContext: { runAsNonRoot: false } })],
          ephemeralContainers: [container({ name: 'debug', securityContext: { runAsNonRoot: false } })],
        }),
      }),
      findings: [
        { messageId: 'container', container: 'init', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.runAsNonRoot' },
        { messageId: 'container', container: 'debug', path: 'spec.jobTemplate.spec.template.spec.ephemeralContainers[0].securityContext.runAsNonRoot' },
      ],
    },
    {
      name: 'hostUsers: true and a string "true" do not count',
      object: pod({ spec: { hostUsers: true, securityContext: { runAsNonRoot: 'true' }, containers: [container()] } }),
      findings: [
        {
          messageId: 'unset',
          path: 'spec.containers[0].securityContext.runAsNonRoot',
          fix: { description: 'Set runAsNonRoot to true for the pod', patch: [{ op: 'replace', path: '/spec/securityContext/runAsNonRoot', value: true }] },
        },
      ],
    },
  ],
});

import rule from '../../../shared/rules/workload/privileged-container.ts';
import { container, cronJob, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'privileged: false', object: pod({ spec: hardenedPodSpec({ containers: [container({ securityContext: { privileged: false } })] }) }) },
    { name: 'privileged as a string is not privileged', object: pod({ spec: { containers: [container({ securityContext: { privileged: 'true' } })] } }) },
  ],
  invalid: [
    {
      name: 'privileged container in a deployment',
      object: deployment({ spec: { containers: [container({ securityContext: { privileged: true } })] } }),
      findings: [
        {
          messageId: 'privileged',
          data: { container: 'app' },
          container: 'app',
          path: 'spec.template.spec.containers[0].securityContext.privileged',
          fix: {
            description: 'Set privileged to false',
            patch: [{ op: 'replace', path: '/spec/template/spec/containers/0/securityContext/privileged', value: false }],
          },
        },
      ],
    },
    {
      name: 'privileged init and ephemeral containers in a cronjob',
      object: cronJob({
        spec: {
          initContainers: [container({ name: 'init', securityContext: { privileged: true } })],
          containers: [container()],
          ephemeralContainers: [container({ name: 'debug', securityContext: { privileged: true } })],
        },
      }),
      findings: [
        { messageId: 'privileged', container: 'init', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.privileged' },
        { messageId: 'privileged', container: 'debug', path: 'spec.jobTemplate.spec.template.spec.ephemeralContainers[0].securityContext.privileged' },
      ],
    },
  ],
});

import rule from '../../../shared/rules/workload/proc-mount.ts';
import { container, cronJob, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const unmasked = (name = 'app') => container({ name, securityContext: { procMount: 'Unmasked' } });

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'Default procMount', object: pod({ spec: hardenedPodSpec({ containers: [container({ securityContext: { procMount: 'Default' } })] }) }) },
    { name: 'Unmasked in a pod with its own user namespace (v1.35)', object: pod({ spec: hardenedPodSpec({ hostUsers: false, containers: [unmasked()], initContainers: [unmasked('init')] }) }) },
    { name: 'a non-string procMount does not throw', object: pod({ spec: hardenedPodSpec({ containers: [container({ securityContext: { procMount: true } })] }) }) },
  ],
  invalid: [
    {
      name: 'Unmasked in a deployment',
      object: deployment({ spec: hardenedPodSpec({ containers: [unmasked()] }) }),
      findings: [
        {
          messageId: 'procMount',
          data: { container: 'app', procMount: 'Unmasked' },
          container: 'app',
          path: 'spec.template.spec.containers[0].securityContext.procMount',
          fix: { description: 'Set procMount to Default', patch: [{ op: 'replace', path: '/spec/template/spec/containers/0/securityContext/procMount', value: 'Default' }] },
        },
      ],
    },
    {
      name: 'hostUsers: true is no user namespace (cronjob init container)',
      object: cronJob({ spec: hardenedPodSpec({ hostUsers: true, initContainers: [unmasked('init')] }) }),
      findings: [{ messageId: 'procMount', container: 'init', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.procMount' }],
    },
    {
      name: 'hostUsers as a string is not false',
      object: pod({ spec: hardenedPodSpec({ hostUsers: 'false', ephemeralContainers: [unmasked('debug')] }) }),
      findings: [{ messageId: 'procMount', container: 'debug', path: 'spec.ephemeralContainers[0].securityContext.procMount' }],
    },
  ],
});

import rule from '../../../shared/rules/workload/proc-mount-restricted.ts';
import { container, cronJob, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const unmasked = (name = 'app') => container({ name, securityContext: { procMount: 'Unmasked' } });

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'Default procMount in a user namespace', object: pod({ spec: hardenedPodSpec({ hostUsers: false, containers: [container({ securityContext: { procMount: 'Default' } })] }) }) },
    { name: 'without a user namespace it is left to proc-mount', object: pod({ spec: hardenedPodSpec({ containers: [unmasked()] }) }) },
  ],
  invalid: [
    {
      name: 'Unmasked in a user-namespaced deployment',
      object: deployment({ spec: hardenedPodSpec({ hostUsers: false, containers: [unmasked()] }) }),
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
      name: 'init container of a user-namespaced cronjob',
      object: cronJob({ spec: hardenedPodSpec({ hostUsers: false, initContainers: [unmasked('init')] }) }),
      findings: [{ messageId: 'procMount', container: 'init', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.procMount' }],
    },
  ],
});

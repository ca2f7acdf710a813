import rule from '../../../shared/rules/workload/selinux-options.ts';
import { container, cronJob, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'empty options', object: pod({ spec: hardenedPodSpec({ securityContext: { seLinuxOptions: {} }, containers: [container({ securityContext: { seLinuxOptions: {} } })] }) }) },
    {
      name: 'every allowed type, and a level',
      object: pod({
        spec: hardenedPodSpec({
          securityContext: { seLinuxOptions: { type: 'container_t', level: 's0:c123,c456' } },
          initContainers: [container({ name: 'init', securityContext: { seLinuxOptions: { type: 'container_init_t' } } })],
          containers: [
            container({ securityContext: { seLinuxOptions: { type: 'container_kvm_t' } } }),
            container({ name: 'engine', securityContext: { seLinuxOptions: { type: 'container_engine_t', user: '', role: '' } } }),
          ],
        }),
      }),
    },
    { name: 'malformed options do not throw', object: pod({ spec: hardenedPodSpec({ securityContext: { seLinuxOptions: 'spc_t' } }) }) },
  ],
  invalid: [
    {
      name: 'pod-level type in a deployment',
      object: deployment({ spec: hardenedPodSpec({ securityContext: { seLinuxOptions: { type: 'spc_t' } } }) }),
      findings: [
        {
          messageId: 'pod',
          data: { field: 'type', value: 'spc_t' },
          path: 'spec.template.spec.securityContext.seLinuxOptions.type',
          fix: { description: 'Remove seLinuxOptions.type', patch: [{ op: 'remove', path: '/spec/template/spec/securityContext/seLinuxOptions/type' }] },
        },
      ],
    },
    {
      name: 'user and role on the pod of a cronjob',
      object: cronJob({ spec: hardenedPodSpec({ securityContext: { seLinuxOptions: { user: 'system_u', role: 'system_r' } } }) }),
      findings: [
        { messageId: 'pod', data: { field: 'user', value: 'system_u' }, path: 'spec.jobTemplate.spec.template.spec.securityContext.seLinuxOptions.user' },
        { messageId: 'pod', data: { field: 'role', value: 'system_r' }, path: 'spec.jobTemplate.spec.template.spec.securityContext.seLinuxOptions.role' },
      ],
    },
    {
      name: 'container and ephemeral container types in a pod',
      object: pod({
        spec: hardenedPodSpec({
          containers: [container({ securityContext: { seLinuxOptions: { type: 'somevalue' } } })],
          ephemeralContainers: [container({ name: 'debug', securityContext: { seLinuxOptions: { type: 'unconfined_t', user: 'root' } } })],
        }),
      }),
      findings: [
        { messageId: 'container', data: { container: 'app', field: 'type', value: 'somevalue' }, container: 'app', path: 'spec.containers[0].securityContext.seLinuxOptions.type' },
        { messageId: 'container', container: 'debug', path: 'spec.ephemeralContainers[0].securityContext.seLinuxOptions.type' },
        { messageId: 'container', container: 'debug', path: 'spec.ephemeralContainers[0].securityContext.seLinuxOptions.user' },
      ],
    },
    {
      name: 'a non-string type is not an allowed type',
      object: pod({ spec: hardenedPodSpec({ securityContext: { seLinuxOptions: { type: 7 } } }) }),
      findings: [{ messageId: 'pod', data: { field: 'type', value: '7' }, path: 'spec.securityContext.seLinuxOptions.type' }],
    },
  ],
});

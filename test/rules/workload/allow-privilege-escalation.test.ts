import rule from '../../../shared/rules/workload/allow-privilege-escalation.ts';
import { container, cronJob, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'Windows pods are exempt', object: pod({ spec: { os: { name: 'windows' }, containers: [container()] } }) },
  ],
  invalid: [
    {
      name: 'explicitly true in a deployment',
      object: deployment({ spec: hardenedPodSpec({ containers: [container({ securityContext: { allowPrivilegeEscalation: true, capabilities: { drop: ['ALL'] } } })] }) }),
      findings: [
        {
          messageId: 'allowed',
          data: { container: 'app' },
          container: 'app',
          path: 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
          fix: { description: 'Set allowPrivilegeEscalation to false', patch: [{ op: 'replace', path: '/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation', value: false }] },
        },
      ],
    },
    {
      name: 'unset on init and ephemeral containers of a cronjob',
      object: cronJob({ spec: hardenedPodSpec({ initContainers: [container({ name: 'init', securityContext: {} })], ephemeralContainers: [container({ name: 'debug' })] }) }),
      findings: [
        {
          messageId: 'unset',
          container: 'init',
          path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation',
          fix: { description: 'Set allowPrivilegeEscalation to false', patch: [{ op: 'add', path: '/spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/allowPrivilegeEscalation', value: false }] },
        },
        {
          messageId: 'unset',
          container: 'debug',
          path: 'spec.jobTemplate.spec.template.spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation',
          fix: { description: 'Set allowPrivilegeEscalation to false', patch: [{ op: 'add', path: '/spec/jobTemplate/spec/template/spec/ephemeralContainers/0/securityContext', value: { allowPrivilegeEscalation: false } }] },
        },
      ],
    },
    {
      name: 'a string "false" is not false; a malformed securityContext is replaced',
      object: pod({ spec: hardenedPodSpec({ containers: [container({ securityContext: { allowPrivilegeEscalation: 'false' } }), container({ name: 'b', securityContext: 'none' })] }) }),
      findings: [
        { messageId: 'unset', container: 'app', path: 'spec.containers[0].securityContext.allowPrivilegeEscalation' },
        {
          messageId: 'unset',
          container: 'b',
          path: 'spec.containers[1].securityContext.allowPrivilegeEscalation',
          fix: { description: 'Set allowPrivilegeEscalation to false', patch: [{ op: 'replace', path: '/spec/containers/1/securityContext', value: { allowPrivilegeEscalation: false } }] },
        },
      ],
    },
    {
      name: 'os.name linux is not exempt',
      object: pod({ spec: { os: { name: 'linux' }, containers: [container()] } }),
      findings: [{ messageId: 'unset', path: 'spec.containers[0].securityContext.allowPrivilegeEscalation' }],
    },
  ],
});

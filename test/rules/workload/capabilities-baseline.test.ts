import rule from '../../../shared/rules/workload/capabilities-baseline.ts';
import { container, cronJob, deployment, hardenedPodSpec, pod, statefulSet } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const withCaps = (capabilities: unknown) => container({ securityContext: { capabilities } });

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    {
      name: 'every default capability may be added',
      object: pod({
        spec: hardenedPodSpec({
          containers: [withCaps({ add: ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'] })],
        }),
      }),
    },
    { name: 'dropping is always fine', object: pod({ spec: hardenedPodSpec({ containers: [withCaps({ drop: ['SYS_ADMIN', 'ALL'] })] }) }) },
    { name: 'malformed capabilities do not throw', object: pod({ spec: hardenedPodSpec({ containers: [withCaps('SYS_ADMIN'), container({ name: 'b', securityContext: { capabilities: { add: 'SYS_ADMIN' } } }), container({ name: 'c', securityContext: { capabilities: { add: [7, null] } } })] }) }) },
  ],
  invalid: [
    {
      name: 'SYS_ADMIN in a deployment',
      object: deployment({ spec: hardenedPodSpec({ containers: [withCaps({ drop: ['ALL'], add: ['NET_BIND_SERVICE', 'SYS_ADMIN'] })] }) }),
      findings: [
        {
          messageId: 'capability',
          data: { container: 'app', capability: 'SYS_ADMIN' },
          container: 'app',
          path: 'spec.template.spec.containers[0].securityContext.capabilities.add[1]',
          fix: { description: 'Stop adding SYS_ADMIN', patch: [{ op: 'remove', path: '/spec/template/spec/containers/0/securityContext/capabilities/add/1' }] },
        },
      ],
    },
    {
      name: 'names are matched exactly: lower case and CAP_ prefix are not the default set',
      object: statefulSet({ spec: hardenedPodSpec({ containers: [withCaps({ add: ['chown', 'CAP_CHOWN', 'NET_RAW'] })] }) }),
      findings: [
        { messageId: 'capability', data: { container: 'app', capability: 'chown' }, path: 'spec.template.spec.containers[0].securityContext.capabilities.add[0]' },
        { messageId: 'capability', data: { container: 'app', capability: 'CAP_CHOWN' }, path: 'spec.template.spec.containers[0].securityContext.capabilities.add[1]' },
        { messageId: 'capability', data: { container: 'app', capability: 'NET_RAW' }, path: 'spec.template.spec.containers[0].securityContext.capabilities.add[2]' },
      ],
    },
    {
      name: 'init and ephemeral containers of a cronjob',
      object: cronJob({
        spec: hardenedPodSpec({
          initContainers: [container({ name: 'init', securityContext: { capabilities: { add: ['NET_ADMIN'] } } })],
          ephemeralContainers: [container({ name: 'debug', securityContext: { capabilities: { add: ['SYS_PTRACE'] } } })],
        }),
      }),
      findings: [
        { messageId: 'capability', container: 'init', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.capabilities.add[0]' },
        { messageId: 'capability', container: 'debug', path: 'spec.jobTemplate.spec.template.spec.ephemeralContainers[0].securityContext.capabilities.add[0]' },
      ],
    },
    {
      name: 'Windows pods are not exempt at the baseline level',
      object: pod({ spec: hardenedPodSpec({ os: { name: 'windows' }, containers: [withCaps({ add: ['SYS_TIME'] })] }) }),
      findings: [{ messageId: 'capability', path: 'spec.containers[0].securityContext.capabilities.add[0]' }],
    },
  ],
});

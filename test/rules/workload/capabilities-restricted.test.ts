import rule from '../../../shared/rules/workload/capabilities-restricted.ts';
import { container, cronJob, deployment, hardenedPodSpec, job, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const withCaps = (capabilities: unknown, name = 'app') =>
  container({ name, securityContext: { allowPrivilegeEscalation: false, capabilities } });

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'drop ALL and add NET_BIND_SERVICE', object: pod({ spec: hardenedPodSpec({ containers: [withCaps({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] })] }) }) },
    { name: 'capabilities outside the default set are left to capabilities-baseline', object: pod({ spec: hardenedPodSpec({ containers: [withCaps({ drop: ['ALL'], add: ['SYS_ADMIN'] })] }) }) },
    { name: 'Windows pods are exempt', object: pod({ spec: { os: { name: 'windows' }, containers: [container()] } }) },
  ],
  invalid: [
    {
      name: 'no capabilities at all in a deployment',
      object: deployment({ spec: hardenedPodSpec({ containers: [container({ securityContext: { allowPrivilegeEscalation: false } })] }) }),
      findings: [
        {
          messageId: 'dropAll',
          data: { container: 'app' },
          container: 'app',
          path: 'spec.template.spec.containers[0].securityContext.capabilities.drop',
          fix: {
            description: 'Drop ALL capabilities',
            patch: [{ op: 'add', path: '/spec/template/spec/containers/0/securityContext/capabilities', value: { drop: ['ALL'] } }],
          },
        },
      ],
    },
    {
      name: 'dropping every capability by name is not dropping ALL',
      object: job({ spec: hardenedPodSpec({ containers: [withCaps({ drop: ['SYS_ADMIN', 'NET_RAW', 'CHOWN'] })] }) }),
      findings: [
        {
          messageId: 'dropAll',
          path: 'spec.template.spec.containers[0].securityContext.capabilities.drop',
          fix: { description: 'Drop ALL capabilities', patch: [{ op: 'add', path: '/spec/template/spec/containers/0/securityContext/capabilities/drop/-', value: 'ALL' }] },
        },
      ],
    },
    {
      name: 'default capabilities other than NET_BIND_SERVICE added back, in a cronjob init container',
      object: cronJob({ spec: hardenedPodSpec({ initContainers: [withCaps({ drop: ['ALL'], add: ['CHOWN', 'NET_BIND_SERVICE', 'SETUID'] }, 'init')] }) }),
      findings: [
        { messageId: 'add', data: { container: 'init', capability: 'CHOWN' }, path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.capabilities.add[0]' },
        { messageId: 'add', data: { container: 'init', capability: 'SETUID' }, path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.capabilities.add[2]' },
      ],
    },
    {
      name: 'malformed capabilities are replaced by the fix',
      object: pod({ spec: hardenedPodSpec({ containers: [container({ securityContext: { capabilities: 'ALL' } })], ephemeralContainers: [container({ name: 'debug' })] }) }),
      findings: [
        {
          messageId: 'dropAll',
          container: 'app',
          path: 'spec.containers[0].securityContext.capabilities.drop',
          fix: { description: 'Drop ALL capabilities', patch: [{ op: 'replace', path: '/spec/containers/0/securityContext/capabilities', value: { drop: ['ALL'] } }] },
        },
        { messageId: 'dropAll', container: 'debug', path: 'spec.ephemeralContainers[0].securityContext.capabilities.drop' },
      ],
    },
    {
      name: 'a Linux pod (os.name linux) is not exempt',
      object: pod({ spec: hardenedPodSpec({ os: { name: 'linux' }, containers: [container()] }) }),
      findings: [{ messageId: 'dropAll', path: 'spec.containers[0].securityContext.capabilities.drop' }],
    },
  ],
});

import rule from '../../../shared/rules/workload/dangerous-capabilities.ts';
import { container, cronJob, daemonSet, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

type Json = Record<string, unknown>;
const hardened = (hardenedPodSpec().containers as Json[])[0]!;
const adding = (add: unknown, overrides: Json = {}): Json => ({
  ...hardened,
  securityContext: { ...(hardened.securityContext as Json), capabilities: { drop: ['ALL'], add } },
  ...overrides,
});

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'NET_BIND_SERVICE and CHOWN are not dangerous', object: pod({ spec: hardenedPodSpec({ containers: [adding(['NET_BIND_SERVICE', 'CAP_CHOWN'])] }) }) },
    { name: 'dropping SYS_ADMIN is fine', object: pod({ spec: hardenedPodSpec({ containers: [container({ securityContext: { capabilities: { drop: ['SYS_ADMIN'] } } })] }) }) },
    { name: 'add as a string does not throw', object: pod({ spec: hardenedPodSpec({ containers: [adding('SYS_ADMIN')] }) }) },
    { name: 'non-string entries are ignored', object: pod({ spec: hardenedPodSpec({ containers: [adding([null, 7, { name: 'SYS_ADMIN' }])] }) }) },
    { name: 'capabilities as a list does not throw', object: pod({ spec: hardenedPodSpec({ containers: [container({ securityContext: { capabilities: ['SYS_ADMIN'] } })] }) }) },
  ],
  invalid: [
    {
      name: 'NET_ADMIN and NET_RAW in a daemonset, one finding each',
      object: daemonSet({ spec: hardenedPodSpec({ containers: [adding(['NET_BIND_SERVICE', 'NET_ADMIN', 'NET_RAW'], { name: 'aws-node' })] }) }),
      findings: [
        {
          messageId: 'added',
          severity: 'high',
          container: 'aws-node',
          data: { container: 'aws-node', capability: 'NET_ADMIN', risk: 'reconfigures interfaces, routes and firewall rules' },
          path: 'spec.template.spec.containers[0].securityContext.capabilities.add[1]',
          fix: {
            description: 'Remove NET_ADMIN from capabilities.add',
            patch: [{ op: 'remove', path: '/spec/template/spec/containers/0/securityContext/capabilities/add/1' }],
          },
        },
        {
          messageId: 'added',
          severity: 'medium',
          data: { container: 'aws-node', capability: 'NET_RAW', risk: 'crafts raw packets to spoof or intercept traffic' },
          path: 'spec.template.spec.containers[0].securityContext.capabilities.add[2]',
        },
      ],
    },
    {
      name: 'CAP_ prefix and any case, every spelling removed by the fix',
      object: deployment({ spec: hardenedPodSpec({ containers: [adding(['cap_sys_admin', 'CHOWN', 'SYS_ADMIN'])] }) }),
      findings: [
        {
          messageId: 'added',
          severity: 'critical',
          data: { container: 'app', capability: 'SYS_ADMIN', risk: 'mounts, namespaces and cgroups: the classic container escape' },
          path: 'spec.template.spec.containers[0].securityContext.capabilities.add[0]',
          fix: {
            description: 'Remove SYS_ADMIN from capabilities.add',
            patch: [
              { op: 'remove', path: '/spec/template/spec/containers/0/securityContext/capabilities/add/2' },
              { op: 'remove', path: '/spec/template/spec/containers/0/securityContext/capabilities/add/0' },
            ],
          },
        },
      ],
    },
    {
      name: 'ALL in an init container and SYS_PTRACE in an ephemeral container of a pod',
      object: pod({
        spec: hardenedPodSpec({
          initContainers: [adding(['ALL'], { name: 'init' })],
          ephemeralContainers: [container({ name: 'debug', securityContext: { capabilities: { add: ['SYS_PTRACE'] } } })],
        }),
      }),
      findings: [
        { messageId: 'added', severity: 'critical', container: 'init', path: 'spec.initContainers[0].securityContext.capabilities.add[0]' },
        { messageId: 'added', severity: 'high', container: 'debug', path: 'spec.ephemeralContainers[0].securityContext.capabilities.add[0]' },
      ],
    },
    {
      name: 'kernel-facing capabilities in a cronjob',
      object: cronJob({ spec: hardenedPodSpec({ containers: [adding(['SYS_MODULE', 'BPF', 'PERFMON', 'SYS_RAWIO', 'DAC_READ_SEARCH', 'SYS_BOOT'])] }) }),
      findings: [
        { messageId: 'added', severity: 'critical', path: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.capabilities.add[0]' },
        { messageId: 'added', severity: 'high', path: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.capabilities.add[1]' },
        { messageId: 'added', severity: 'high', path: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.capabilities.add[2]' },
        { messageId: 'added', severity: 'high', path: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.capabilities.add[3]' },
        { messageId: 'added', severity: 'high', path: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.capabilities.add[4]' },
        { messageId: 'added', severity: 'high', path: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.capabilities.add[5]' },
      ],
    },
  ],
});

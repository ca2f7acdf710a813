import rule from '../../../shared/rules/workload/host-namespaces.ts';
import { cronJob, daemonSet, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'host namespaces explicitly false', object: pod({ spec: hardenedPodSpec({ hostNetwork: false, hostPID: false, hostIPC: false }) }) },
    { name: 'string "true" is not a boolean', object: pod({ spec: hardenedPodSpec({ hostNetwork: 'true', hostPID: 1 }) }) },
    { name: 'malformed pod spec', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'shop' }, spec: 'oops' } },
    { name: 'not a workload', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop' }, spec: { hostNetwork: true } } },
  ],
  invalid: [
    {
      name: 'hostNetwork in a deployment',
      object: deployment({ spec: hardenedPodSpec({ hostNetwork: true }) }),
      findings: [
        {
          messageId: 'hostNetwork',
          path: 'spec.template.spec.hostNetwork',
          fix: { description: 'Set hostNetwork to false', patch: [{ op: 'replace', path: '/spec/template/spec/hostNetwork', value: false }] },
        },
      ],
    },
    {
      name: 'all three in a daemonset',
      object: daemonSet({ spec: hardenedPodSpec({ hostNetwork: true, hostPID: true, hostIPC: true }) }),
      findings: [
        { messageId: 'hostNetwork', path: 'spec.template.spec.hostNetwork' },
        { messageId: 'hostPID', path: 'spec.template.spec.hostPID' },
        { messageId: 'hostIPC', path: 'spec.template.spec.hostIPC' },
      ],
    },
    {
      name: 'hostPID in a cronjob',
      object: cronJob({ spec: hardenedPodSpec({ hostPID: true }) }),
      findings: [{ messageId: 'hostPID', path: 'spec.jobTemplate.spec.template.spec.hostPID' }],
    },
    {
      name: 'hostIPC in a bare pod',
      object: pod({ spec: hardenedPodSpec({ hostIPC: true }) }),
      findings: [{ messageId: 'hostIPC', path: 'spec.hostIPC', fix: { description: 'Set hostIPC to false', patch: [{ op: 'replace', path: '/spec/hostIPC', value: false }] } }],
    },
  ],
});

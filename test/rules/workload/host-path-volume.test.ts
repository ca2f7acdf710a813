import rule from '../../../shared/rules/workload/host-path-volume.ts';
import { cronJob, daemonSet, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'emptyDir and configMap volumes', object: pod({ spec: hardenedPodSpec({ volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }] }) }) },
    { name: 'hostPath: null is no hostPath', object: pod({ spec: hardenedPodSpec({ volumes: [{ name: 'tmp', hostPath: null, emptyDir: {} }] }) }) },
    { name: 'malformed volumes do not throw', object: pod({ spec: hardenedPodSpec({ volumes: 'none' }) }) },
    { name: 'malformed volume entries do not throw', object: pod({ spec: hardenedPodSpec({ volumes: [null, 3, 'x'] }) }) },
  ],
  invalid: [
    {
      name: 'hostPath in a daemonset',
      object: daemonSet({ spec: hardenedPodSpec({ volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'logs', hostPath: { path: '/var/log' } }] }) }),
      findings: [{ messageId: 'hostPath', data: { volume: 'logs', hostPath: '/var/log' }, path: 'spec.template.spec.volumes[1].hostPath', fix: null }],
    },
    {
      name: 'two hostPaths in a cronjob',
      object: cronJob({ spec: hardenedPodSpec({ volumes: [{ name: 'a', hostPath: { path: '/a' } }, { name: 'b', hostPath: { path: '/b', type: 'Directory' } }] }) }),
      findings: [
        { messageId: 'hostPath', path: 'spec.jobTemplate.spec.template.spec.volumes[0].hostPath' },
        { messageId: 'hostPath', path: 'spec.jobTemplate.spec.template.spec.volumes[1].hostPath' },
      ],
    },
    {
      name: 'hostPath without a path or a name in a deployment',
      object: deployment({ spec: hardenedPodSpec({ volumes: [{ hostPath: 'weird' }] }) }),
      findings: [{ messageId: 'hostPath', data: { volume: 'volumes[0]', hostPath: '(unspecified)' }, path: 'spec.template.spec.volumes[0].hostPath' }],
    },
    {
      name: 'hostPath in a bare pod',
      object: pod({ spec: hardenedPodSpec({ volumes: [{ name: 'sock', hostPath: { path: '/run/containerd/containerd.sock' } }] }) }),
      findings: [{ messageId: 'hostPath', path: 'spec.volumes[0].hostPath' }],
    },
  ],
});

import rule from '../../../shared/rules/workload/windows-host-process.ts';
import { container, cronJob, daemonSet, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const windows = (overrides: Record<string, unknown>) => ({ os: { name: 'windows' }, containers: [container()], ...overrides });

ruleTester.run(rule, {
  valid: [
    { name: 'hardened daemonset', object: daemonSet() },
    { name: 'hostProcess false', object: pod({ spec: windows({ securityContext: { windowsOptions: { hostProcess: false } } }) }) },
    { name: 'windowsOptions without hostProcess', object: pod({ spec: windows({ containers: [container({ securityContext: { windowsOptions: { runAsUserName: 'ContainerUser' } } })] }) }) },
    { name: 'malformed windowsOptions do not throw', object: pod({ spec: windows({ securityContext: { windowsOptions: 'hostProcess' }, containers: [container({ securityContext: { windowsOptions: { hostProcess: 'true' } } })] }) }) },
  ],
  invalid: [
    {
      name: 'pod-level hostProcess in a daemonset',
      object: daemonSet({ spec: windows({ hostNetwork: true, securityContext: { windowsOptions: { hostProcess: true } } }) }),
      findings: [
        {
          messageId: 'pod',
          path: 'spec.template.spec.securityContext.windowsOptions.hostProcess',
          fix: { description: 'Set hostProcess to false', patch: [{ op: 'replace', path: '/spec/template/spec/securityContext/windowsOptions/hostProcess', value: false }] },
        },
      ],
    },
    {
      name: 'container-level hostProcess on init and regular containers of a cronjob',
      object: cronJob({
        spec: windows({
          hostNetwork: true,
          initContainers: [container({ name: 'init', securityContext: { windowsOptions: { hostProcess: true } } })],
          containers: [container({ securityContext: { windowsOptions: { hostProcess: true } } })],
        }),
      }),
      findings: [
        { messageId: 'container', data: { container: 'init' }, container: 'init', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.windowsOptions.hostProcess' },
        { messageId: 'container', data: { container: 'app' }, container: 'app', path: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.windowsOptions.hostProcess' },
      ],
    },
    {
      name: 'hostProcess is reported even without os.name (a Linux-looking pod)',
      object: pod({ spec: hardenedPodSpec({ ephemeralContainers: [container({ name: 'debug', securityContext: { windowsOptions: { hostProcess: true } } })] }) }),
      findings: [{ messageId: 'container', container: 'debug', path: 'spec.ephemeralContainers[0].securityContext.windowsOptions.hostProcess' }],
    },
  ],
});

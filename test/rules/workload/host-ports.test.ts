import rule from '../../../shared/rules/workload/host-ports.ts';
import { container, cronJob, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'container port only', object: pod({ spec: hardenedPodSpec({ containers: [container({ ports: [{ containerPort: 8080 }] })] }) }) },
    { name: 'hostPort 0 means none', object: pod({ spec: hardenedPodSpec({ containers: [container({ ports: [{ containerPort: 8080, hostPort: 0 }] })] }) }) },
    {
      name: 'malformed ports do not throw',
      object: pod({ spec: hardenedPodSpec({ containers: [container({ ports: 'all' }), container({ name: 'b', ports: [null, 'x', { hostPort: '80' }] })] }) }),
    },
  ],
  invalid: [
    {
      name: 'host port in a deployment',
      object: deployment({ spec: hardenedPodSpec({ containers: [container({ ports: [{ containerPort: 8080 }, { containerPort: 9090, hostPort: 9090 }] })] }) }),
      findings: [
        {
          messageId: 'hostPort',
          data: { container: 'app', hostPort: 9090 },
          container: 'app',
          path: 'spec.template.spec.containers[0].ports[1].hostPort',
          fix: { description: 'Remove hostPort 9090', patch: [{ op: 'remove', path: '/spec/template/spec/containers/0/ports/1/hostPort' }] },
        },
      ],
    },
    {
      name: 'two host ports on one container, and one on an init container, in a cronjob',
      object: cronJob({
        spec: hardenedPodSpec({
          initContainers: [container({ name: 'init', ports: [{ containerPort: 53, hostPort: 53, protocol: 'UDP' }] })],
          containers: [container({ ports: [{ containerPort: 80, hostPort: 80 }, { containerPort: 443, hostPort: 443 }] })],
        }),
      }),
      findings: [
        { messageId: 'hostPort', container: 'init', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].ports[0].hostPort' },
        { messageId: 'hostPort', container: 'app', path: 'spec.jobTemplate.spec.template.spec.containers[0].ports[0].hostPort' },
        { messageId: 'hostPort', container: 'app', path: 'spec.jobTemplate.spec.template.spec.containers[0].ports[1].hostPort' },
      ],
    },
    {
      name: 'ephemeral container in a pod',
      object: pod({ spec: hardenedPodSpec({ ephemeralContainers: [container({ name: 'debug', ports: [{ containerPort: 22, hostPort: 2222 }] })] }) }),
      findings: [{ messageId: 'hostPort', container: 'debug', path: 'spec.ephemeralContainers[0].ports[0].hostPort' }],
    },
  ],
});

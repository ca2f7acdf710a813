import rule from '../../../shared/rules/workload/host-probes-lifecycle.ts';
import { container, cronJob, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    {
      name: 'probes and hooks without a host',
      object: pod({
        spec: hardenedPodSpec({
          containers: [
            container({
              livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
              readinessProbe: { tcpSocket: { port: 8080, host: '' } },
              startupProbe: { grpc: { port: 9090 } },
              lifecycle: { preStop: { sleep: { seconds: 5 } }, postStart: { exec: { command: ['true'] } } },
            }),
          ],
        }),
      }),
    },
    {
      name: 'malformed probes do not throw',
      object: pod({ spec: hardenedPodSpec({ containers: [container({ livenessProbe: 'yes', readinessProbe: { httpGet: 'x' }, lifecycle: { preStop: [] }, startupProbe: { tcpSocket: { host: 42 } } })] }) }),
    },
  ],
  invalid: [
    {
      name: 'liveness probe to another host in a deployment',
      object: deployment({ spec: hardenedPodSpec({ containers: [container({ livenessProbe: { httpGet: { host: '169.254.169.254', port: 80 } } })] }) }),
      findings: [
        {
          messageId: 'host',
          data: { container: 'app', handler: 'livenessProbe.httpGet', host: '169.254.169.254' },
          container: 'app',
          path: 'spec.template.spec.containers[0].livenessProbe.httpGet.host',
          fix: {
            description: 'Remove the host of livenessProbe.httpGet',
            patch: [{ op: 'remove', path: '/spec/template/spec/containers/0/livenessProbe/httpGet/host' }],
          },
        },
      ],
    },
    {
      name: 'localhost counts too, in probes and hooks of a cronjob',
      object: cronJob({
        spec: hardenedPodSpec({
          initContainers: [container({ name: 'init', restartPolicy: 'Always', readinessProbe: { tcpSocket: { host: '127.0.0.1', port: 10250 } } })],
          containers: [
            container({
              startupProbe: { tcpSocket: { host: '::1', port: 1 } },
              lifecycle: { postStart: { httpGet: { host: 'bad.host', port: 80 } }, preStop: { tcpSocket: { host: 'bad.host', port: 80 } } },
            }),
          ],
        }),
      }),
      findings: [
        { messageId: 'host', container: 'init', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].readinessProbe.tcpSocket.host' },
        { messageId: 'host', container: 'app', path: 'spec.jobTemplate.spec.template.spec.containers[0].startupProbe.tcpSocket.host' },
        { messageId: 'host', container: 'app', path: 'spec.jobTemplate.spec.template.spec.containers[0].lifecycle.postStart.httpGet.host' },
        { messageId: 'host', container: 'app', path: 'spec.jobTemplate.spec.template.spec.containers[0].lifecycle.preStop.tcpSocket.host' },
      ],
    },
    {
      name: 'ephemeral container in a pod',
      object: pod({ spec: hardenedPodSpec({ ephemeralContainers: [container({ name: 'debug', readinessProbe: { httpGet: { host: 'example.com', port: 80 } } })] }) }),
      findings: [{ messageId: 'host', container: 'debug', path: 'spec.ephemeralContainers[0].readinessProbe.httpGet.host' }],
    },
  ],
});

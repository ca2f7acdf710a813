import rule from '../../../shared/rules/workload/writable-root-filesystem.ts';
import { container, cronJob, deployment, hardenedPodSpec, job, pod, statefulSet } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

type Json = Record<string, unknown>;
const hardened = (hardenedPodSpec().containers as Json[])[0]!;

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    { name: 'hardened statefulset', object: statefulSet() },
    {
      name: 'a Windows pod cannot have a read-only root file system',
      object: pod({ spec: hardenedPodSpec({ os: { name: 'windows' }, containers: [container()] }) }),
    },
    { name: 'malformed containers do not throw', object: pod({ spec: hardenedPodSpec({ containers: [null, 'x'], initContainers: 'y' }) }) },
  ],
  invalid: [
    {
      name: 'no securityContext at all in a deployment',
      object: deployment({ spec: hardenedPodSpec({ containers: [container()] }) }),
      findings: [
        {
          messageId: 'writable',
          data: { container: 'app' },
          container: 'app',
          path: 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
          fix: {
            description: 'Set readOnlyRootFilesystem to true (mount an emptyDir where the application writes)',
            patch: [{ op: 'add', path: '/spec/template/spec/containers/0/securityContext', value: { readOnlyRootFilesystem: true } }],
          },
        },
      ],
    },
    {
      name: 'explicitly false, and the string "true", in a cronjob',
      object: cronJob({
        spec: hardenedPodSpec({
          initContainers: [container({ name: 'init', securityContext: { readOnlyRootFilesystem: false } })],
          containers: [{ ...hardened, securityContext: { readOnlyRootFilesystem: 'true' } }],
        }),
      }),
      findings: [
        {
          messageId: 'writable',
          container: 'init',
          path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.readOnlyRootFilesystem',
          fix: {
            description: 'Set readOnlyRootFilesystem to true (mount an emptyDir where the application writes)',
            patch: [{ op: 'replace', path: '/spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/readOnlyRootFilesystem', value: true }],
          },
        },
        { messageId: 'writable', container: 'app', path: 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem' },
      ],
    },
    {
      name: 'an ephemeral debug container of a pod',
      object: pod({ spec: hardenedPodSpec({ ephemeralContainers: [container({ name: 'debug', securityContext: 'broken' })] }) }),
      findings: [{ messageId: 'writable', container: 'debug', path: 'spec.ephemeralContainers[0].securityContext.readOnlyRootFilesystem' }],
    },
    {
      name: 'a Linux-declared job',
      object: job({ spec: hardenedPodSpec({ os: { name: 'linux' }, containers: [container()] }) }),
      findings: [{ messageId: 'writable', path: 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem' }],
    },
  ],
});

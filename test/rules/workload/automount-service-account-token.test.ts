import rule from '../../../shared/rules/workload/automount-service-account-token.ts';
import type { KubeObject } from '../../../shared/model/kube.ts';
import { cronJob, daemonSet, deployment, hardenedPodSpec, pod } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const serviceAccount = (name: string, automount: unknown, namespace = 'shop'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace },
  ...(automount === undefined ? {} : { automountServiceAccountToken: automount }),
});
const unset = (): Record<string, unknown> => {
  const spec = hardenedPodSpec();
  delete spec.automountServiceAccountToken;
  return spec;
};

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment (pod says false)', object: deployment() },
    { name: 'the service account says false', object: deployment({ spec: unset() }), objects: [serviceAccount('app', false)] },
    { name: 'the default service account says false', object: pod({ spec: { ...unset(), serviceAccountName: undefined } }), objects: [serviceAccount('default', false)] },
    { name: 'the pod says false even if the account says true', object: pod(), objects: [serviceAccount('app', true)] },
  ],
  invalid: [
    {
      name: 'nobody says anything (account not in the snapshot)',
      object: deployment({ spec: unset() }),
      findings: [
        {
          messageId: 'byDefault',
          severity: 'low',
          data: { kind: 'Deployment', name: 'web', serviceAccount: 'app' },
          path: 'spec.template.spec.automountServiceAccountToken',
          fix: {
            description: 'Set automountServiceAccountToken to false on the pod spec',
            patch: [{ op: 'add', path: '/spec/template/spec/automountServiceAccountToken', value: false }],
          },
        },
      ],
    },
    {
      name: 'the account of the same name in another namespace does not count',
      object: deployment({ spec: unset() }),
      objects: [serviceAccount('app', false, 'other')],
      findings: [{ messageId: 'byDefault', path: 'spec.template.spec.automountServiceAccountToken' }],
    },
    {
      name: 'the pod says true, overriding the account',
      object: cronJob({ spec: hardenedPodSpec({ automountServiceAccountToken: true }) }),
      objects: [serviceAccount('app', false)],
      findings: [
        {
          messageId: 'byPod',
          data: { kind: 'CronJob', name: 'web', serviceAccount: 'app' },
          path: 'spec.jobTemplate.spec.template.spec.automountServiceAccountToken',
          fix: {
            description: 'Set automountServiceAccountToken to false on the pod spec',
            patch: [{ op: 'replace', path: '/spec/jobTemplate/spec/template/spec/automountServiceAccountToken', value: false }],
          },
        },
      ],
    },
    {
      name: 'the account says true, the pod nothing',
      object: daemonSet({ spec: unset() }),
      objects: [serviceAccount('app', true)],
      findings: [{ messageId: 'byServiceAccount', data: { kind: 'DaemonSet', name: 'web', serviceAccount: 'app' }, path: 'spec.template.spec.automountServiceAccountToken' }],
    },
    {
      name: 'malformed values count as unset (the string "false")',
      object: pod({ spec: { ...unset(), automountServiceAccountToken: 'false', serviceAccountName: 'default' } }),
      objects: [serviceAccount('default', 'false')],
      findings: [{ messageId: 'byDefault', data: { kind: 'Pod', name: 'web', serviceAccount: 'default' }, path: 'spec.automountServiceAccountToken' }],
    },
  ],
});

import rule from '../../../shared/rules/workload/default-service-account.ts';
import { cronJob, deployment, hardenedPodSpec, pod, replicaSet } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const without = (field: string): Record<string, unknown> => {
  const spec = hardenedPodSpec();
  delete spec[field];
  return spec;
};

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment (dedicated account)', object: deployment() },
    { name: 'the deprecated serviceAccount field names a dedicated account', object: pod({ spec: { ...without('serviceAccountName'), serviceAccount: 'app' } }) },
    { name: 'a pod spec that is not an object is not judged', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'shop' }, spec: 'nope' } },
  ],
  invalid: [
    {
      name: 'no service account named in a deployment',
      object: deployment({ spec: without('serviceAccountName') }),
      findings: [
        {
          messageId: 'defaultAccount',
          severity: 'low',
          data: { kind: 'Deployment', name: 'web' },
          path: 'spec.template.spec.serviceAccountName',
          fix: null,
        },
      ],
    },
    {
      name: 'default named explicitly in a cronjob',
      object: cronJob({ name: 'nightly', spec: hardenedPodSpec({ serviceAccountName: 'default' }) }),
      findings: [{ messageId: 'defaultAccount', data: { kind: 'CronJob', name: 'nightly' }, path: 'spec.jobTemplate.spec.template.spec.serviceAccountName' }],
    },
    {
      name: 'empty or malformed names fall back to default in a pod',
      object: pod({ spec: hardenedPodSpec({ serviceAccountName: '', serviceAccount: 42 }) }),
      findings: [{ messageId: 'defaultAccount', data: { kind: 'Pod', name: 'web' }, path: 'spec.serviceAccountName' }],
    },
    {
      name: 'the deprecated field set to default in a replicaset',
      object: replicaSet({ spec: { ...without('serviceAccountName'), serviceAccount: 'default' } }),
      findings: [{ messageId: 'defaultAccount', path: 'spec.template.spec.serviceAccountName' }],
    },
  ],
});

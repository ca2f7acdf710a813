import rule from '../../../shared/rules/workload/default-namespace.ts';
import type { KubeObject } from '../../../shared/model/kube.ts';
import { cronJob, deployment, pod, statefulSet, testCluster } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

const withoutNamespace = (object: KubeObject): KubeObject => ({ ...object, metadata: { name: 'web' } });
const live = { cluster: { ...testCluster, id: 'kubeconfig:dev', source: 'kubeconfig' as const } };

ruleTester.run(rule, {
  valid: [
    { name: 'a namespace of its own', object: deployment() },
    { name: 'manifests without a namespace are not assumed to be in default', object: withoutNamespace(deployment()) },
    { name: 'kube-system is not default', object: pod({ namespace: 'kube-system' }), snapshot: live },
    { name: 'malformed metadata does not throw', object: { apiVersion: 'v1', kind: 'Pod', metadata: 'x' as never, spec: {} } },
  ],
  invalid: [
    {
      name: 'explicit default namespace in manifests',
      object: deployment({ namespace: 'default' }),
      findings: [{ messageId: 'defaultNamespace', severity: 'low', data: { kind: 'Deployment', name: 'web' }, path: 'metadata.namespace', fix: null }],
    },
    {
      name: 'a live cronjob in default',
      object: cronJob({ name: 'nightly', namespace: 'default' }),
      snapshot: live,
      findings: [{ messageId: 'defaultNamespace', data: { kind: 'CronJob', name: 'nightly' }, path: 'metadata.namespace' }],
    },
    {
      name: 'a live object without a namespace is in default',
      object: withoutNamespace(statefulSet()),
      snapshot: live,
      findings: [{ messageId: 'defaultNamespace', data: { kind: 'StatefulSet', name: 'web' }, path: 'metadata.namespace' }],
    },
  ],
});

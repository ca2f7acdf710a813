import rule from '../../../shared/rules/workload/restricted-volume-types.ts';
import { cronJob, deployment, hardenedPodSpec, pod, statefulSet } from '../../support/fixtures.ts';
import { ruleTester } from '../../support/rule-tester.ts';

ruleTester.run(rule, {
  valid: [
    { name: 'hardened deployment', object: deployment() },
    {
      name: 'every allowed source, and a volume the API server defaults to emptyDir',
      object: pod({
        spec: hardenedPodSpec({
          volumes: [
            { name: 'v0' },
            { name: 'v1', emptyDir: {} },
            { name: 'v2', secret: { secretName: 's' } },
            { name: 'v3', persistentVolumeClaim: { claimName: 'c' } },
            { name: 'v4', downwardAPI: { items: [] } },
            { name: 'v5', configMap: { name: 'c' } },
            { name: 'v6', projected: { sources: [] } },
            { name: 'v7', csi: { driver: 'secrets-store.csi.k8s.io' } },
            { name: 'v8', ephemeral: { volumeClaimTemplate: { spec: {} } } },
            { name: 'v9', image: { reference: 'registry.example.com/data:1' } },
            { name: 'v10', nfs: null, emptyDir: {} },
          ],
        }),
      }),
    },
    { name: 'hostPath is left to host-path-volume', object: pod({ spec: hardenedPodSpec({ volumes: [{ name: 'h', hostPath: { path: '/' } }] }) }) },
    { name: 'malformed volumes do not throw', object: pod({ spec: hardenedPodSpec({ volumes: [null, 'nfs', 1] }) }) },
  ],
  invalid: [
    {
      name: 'nfs in a statefulset',
      object: statefulSet({ spec: hardenedPodSpec({ volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'share', nfs: { server: 'nfs.example.com', path: '/export' } }] }) }),
      findings: [{ messageId: 'volume', data: { volume: 'share', type: 'nfs' }, path: 'spec.template.spec.volumes[1].nfs', fix: null }],
    },
    {
      name: 'gitRepo and awsElasticBlockStore in a cronjob',
      object: cronJob({ spec: hardenedPodSpec({ volumes: [{ name: 'src', gitRepo: { repository: 'https://example.com/r.git' } }, { name: 'disk', awsElasticBlockStore: { volumeID: 'vol-1' } }] }) }),
      findings: [
        { messageId: 'volume', data: { volume: 'src', type: 'gitRepo' }, path: 'spec.jobTemplate.spec.template.spec.volumes[0].gitRepo' },
        { messageId: 'volume', data: { volume: 'disk', type: 'awsElasticBlockStore' }, path: 'spec.jobTemplate.spec.template.spec.volumes[1].awsElasticBlockStore' },
      ],
    },
    {
      name: 'an unknown source in a pod',
      object: pod({ spec: hardenedPodSpec({ volumes: [{ name: 'x', someFutureSource: {} }] }) }),
      findings: [{ messageId: 'volume', data: { volume: 'x', type: 'someFutureSource' }, path: 'spec.volumes[0].someFutureSource' }],
    },
  ],
});

import rule from '../../../shared/rules/secrets/service-account-token-secret.ts';
import type { KubeObject } from '../../../shared/model/kube.ts';
import { ruleTester } from '../../support/rule-tester.ts';

/** A Secret as a metadata-only list returns it (PartialObjectMetadata): no data, `type` only when the collector adds it. */
function secret(name: string, extra: { type?: string; annotations?: Record<string, string>; labels?: Record<string, string>; metadataType?: string } = {}): KubeObject {
  const metadata: Record<string, unknown> = { name, namespace: 'ci', annotations: extra.annotations ?? {}, labels: extra.labels ?? {} };
  if (extra.metadataType) metadata.type = extra.metadataType;
  return { apiVersion: 'v1', kind: 'Secret', metadata, ...(extra.type ? { type: extra.type } : {}) };
}
const saAnnotation = { 'kubernetes.io/service-account.name': 'deployer', 'kubernetes.io/service-account.uid': '5a1e3f0c-9f2b-4c1e-8d7a-2b7c9e0f1a23' };

ruleTester.run(rule, {
  valid: [
    { name: 'an Opaque secret', object: secret('db', { type: 'Opaque' }) },
    { name: 'a TLS secret from metadata only, no type and no service-account annotation', object: secret('tls') },
    { name: 'a dockerconfigjson secret that happens to carry the annotation is judged by its type', object: secret('pull', { type: 'kubernetes.io/dockerconfigjson', annotations: saAnnotation }) },
  ],
  invalid: [
    {
      name: 'type at the top level',
      object: secret('deployer-token', { type: 'kubernetes.io/service-account-token', annotations: saAnnotation }),
      findings: [{ messageId: 'longLived', data: { secret: 'deployer-token', serviceAccount: 'deployer', lastUsed: '' }, path: 'type', fix: null }],
    },
    {
      name: 'metadata-only listing: no type, the service-account annotation tells, with the last-used label',
      object: secret('deployer-token', { annotations: saAnnotation, labels: { 'kubernetes.io/legacy-token-last-used': '2025-12-01' } }),
      findings: [{ messageId: 'longLived', data: { secret: 'deployer-token', serviceAccount: 'deployer', lastUsed: ', last used 2025-12-01' }, path: 'type' }],
    },
    {
      name: 'type carried in metadata by the collector',
      object: secret('old-token', { metadataType: 'kubernetes.io/service-account-token', annotations: saAnnotation }),
      findings: [{ messageId: 'longLived', path: 'type' }],
    },
  ],
});

// Secrets envelope encryption with a customer-managed KMS key (CIS EKS 5.3.1). Since March 2025 EKS encrypts all
// API data of 1.28+ clusters with an AWS-owned key, so its absence is informational there.
import { defineRule } from '../../engine/index.ts';
import { parseMinorVersion } from '../../facts/kubernetes-versions.ts';

export default defineRule({
  id: 'eks-secrets-customer-key-missing',
  meta: {
    title: 'Secrets not encrypted with a customer-managed KMS key',
    description:
      'Kubernetes Secrets are not envelope-encrypted with a KMS key you control. Since March 2025 EKS encrypts all Kubernetes API data of 1.28+ clusters with an AWS-owned key by default, so this is about control (key policy, rotation, audit of decrypts, revocation), not about plain-text storage; older versions without a key store Secrets without envelope encryption.',
    severity: 'info',
    domain: 'cluster',
    targets: ['EKSCluster'],
    requires: ['clusterInfo'],
    frameworks: { 'owasp-k8s-2022': ['K08'], 'cis-eks-1.8': ['5.3.1'], 'nsa-cisa': ['secrets'] },
    remediation:
      'Associate a customer-managed KMS key: `aws eks associate-encryption-config --cluster-name <cluster> --encryption-config \'[{"resources":["secrets"],"provider":{"keyArn":"<key-arn>"}}]\'` (it cannot be removed afterwards).',
    messages: {
      awsOwnedKey: 'Cluster "{{cluster}}" encrypts Secrets with the EKS default AWS-owned key, not a customer-managed KMS key.',
      noEnvelope: 'Cluster "{{cluster}}" (Kubernetes {{version}}) has no KMS envelope encryption for Secrets.',
    },
  },
  check(_object, ctx) {
    const info = ctx.snapshot.clusterInfo;
    if (!info || (info.secretsEncryptionKeyArn ?? '') !== '') return;
    const version = parseMinorVersion(info.version);
    if (version && version.major === 1 && version.minor < 28) {
      ctx.report({
        messageId: 'noEnvelope',
        data: { cluster: info.name, version: info.version ?? '' },
        path: 'secretsEncryptionKeyArn',
        severity: 'medium',
      });
      return;
    }
    ctx.report({ messageId: 'awsOwnedKey', data: { cluster: info.name }, path: 'secretsEncryptionKeyArn' });
  },
});

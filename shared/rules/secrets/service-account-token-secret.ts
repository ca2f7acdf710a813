// Long-lived service-account token Secrets: a bearer token that never expires, readable by anyone who can read
// Secrets in the namespace. Judged from metadata only (Periscope never reads a Secret's data).
import { defineRule, recordField, stringField } from '../../engine/index.ts';
import { annotationsOf, labelsOf, nameOf, namespaceOf } from '../../engine/snapshot-index.ts';
import type { KubeObject } from '../../model/kube.ts';

const tokenSecretType = 'kubernetes.io/service-account-token';
const serviceAccountAnnotation = 'kubernetes.io/service-account.name';

/** The Secret's type wherever a metadata-only listing left it: top level, or absent (then the service-account
 * annotation that the token controller requires tells). */
function isServiceAccountToken(secret: KubeObject): boolean {
  const type = stringField(secret, 'type') ?? stringField(recordField(secret, 'metadata'), 'type');
  if (type !== undefined) return type === tokenSecretType;
  return (annotationsOf(secret)[serviceAccountAnnotation] ?? '') !== '';
}

export default defineRule({
  id: 'service-account-token-secret',
  meta: {
    title: 'Long-lived service-account token Secret',
    description:
      'A Secret of type kubernetes.io/service-account-token holds a token that never expires and is not bound to a pod: copied once (from a backup, a CI variable, a `kubectl get secret`), it works until the Secret is deleted. Kubernetes 1.24+ issues short-lived projected tokens instead.',
    severity: 'medium',
    domain: 'secrets',
    targets: ['Secret'],
    frameworks: { 'owasp-k8s-2022': ['K06', 'K08'], 'cis-eks-1.8': ['4.1.6'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Delete the Secret and use short-lived tokens: projected service-account volumes inside the cluster, `kubectl create token` or the TokenRequest API outside it (or IRSA / EKS Pod Identity for AWS access).',
    messages: {
      longLived: 'Secret "{{secret}}" is a long-lived token for service account "{{serviceAccount}}"{{lastUsed}}.',
    },
  },
  check(object, ctx) {
    if (!isServiceAccountToken(object)) return;
    const serviceAccount = annotationsOf(object)[serviceAccountAnnotation] ?? 'unknown';
    // Kubernetes 1.29+ labels legacy tokens with the date they were last used.
    const lastUsed = labelsOf(object)['kubernetes.io/legacy-token-last-used'];
    ctx.report({
      messageId: 'longLived',
      data: { secret: nameOf(object), serviceAccount, lastUsed: lastUsed ? `, last used ${lastUsed}` : '' },
      path: 'type',
      details: { serviceAccount, namespace: namespaceOf(object) ?? null, lastUsed: lastUsed ?? null },
    });
  },
});

// Credentials written into a pod spec are readable by everyone who can read the workload, and end up in Git and CI logs.
// The finding names the variable and the kind of secret, never the value.
import { arrayField, containersOf, defineRule, fix, nameOf, removeOp, setOps } from '../../engine/index.ts';
import { isRecord, workloadKinds } from '../../model/kube.ts';
import {
  isAwsAccessKeyId,
  isPlaceholder,
  isSecretName,
  looksLikeAwsSecretAccessKey,
  secretKindOfValue,
} from '../../facts/secret-detection.ts';

interface Literal {
  index: number;
  name: string;
  value: string;
}

const byName = 'credential (judged by the variable name)';

export default defineRule({
  id: 'secret-in-env',
  meta: {
    title: 'Credential in an environment variable value',
    description:
      'An environment variable holds a literal credential (an AWS key, a private key, a token, a password): anyone who can read the workload can read it, and it lives on in Git, CI logs and `kubectl describe` output.',
    severity: 'high',
    domain: 'secrets',
    targets: workloadKinds,
    frameworks: { 'owasp-k8s-2022': ['K08'], 'nsa-cisa': ['secrets'] },
    remediation:
      'Rotate the credential now, store it in a Secret (or AWS Secrets Manager through the CSI driver) and reference it with `valueFrom.secretKeyRef` or, better, a mounted file.',
    messages: {
      literal: 'Environment variable "{{variable}}" of container "{{container}}" holds a literal {{kind}}.',
    },
  },
  check(object, ctx) {
    const secretName = `${nameOf(object) || 'workload'}-secrets`;
    for (const ref of containersOf(object)) {
      const literals: Literal[] = [];
      arrayField(ref.container, 'env').forEach((entry, index) => {
        if (!isRecord(entry)) return;
        const value = typeof entry.value === 'number' ? String(entry.value) : entry.value;
        if (typeof value !== 'string') return;
        literals.push({ index, name: typeof entry.name === 'string' ? entry.name : '', value });
      });
      const nextToAccessKey = literals.some((literal) => isAwsAccessKeyId(literal.value));
      for (const { index, name, value } of literals) {
        let kind = secretKindOfValue(value);
        if (!kind && nextToAccessKey && looksLikeAwsSecretAccessKey(value)) kind = 'AWS secret access key';
        const detectedBy = kind ? 'value' : 'name';
        // A file path is where a credential is, not the credential (`TOKEN=/var/run/secrets/token`).
        if (!kind && isSecretName(name) && !isPlaceholder(value) && !/^\/[\w./-]*$/.test(value.trim())) kind = byName;
        if (!kind) continue;
        const variable = name || `env[${index}]`;
        const entrySegments = [...ref.segments, 'env', index];
        const key = /^[-._a-zA-Z0-9]+$/.test(name) ? name : 'value';
        ctx.report({
          messageId: 'literal',
          data: { variable, container: ref.name, kind },
          container: ref.name,
          key: `env:${variable}`,
          // A recognised credential format is near-certain; a suspicious name is a good guess.
          severity: detectedBy === 'value' ? 'high' : 'medium',
          path: `${ref.path}.env[${index}].value`,
          details: { variable, kind, detectedBy },
          fix: fix(
            `Store the value of ${variable} in Secret "${secretName}" under key "${key}" and reference it with valueFrom.secretKeyRef`,
            [
              removeOp([...entrySegments, 'value']),
              ...setOps(object, [...entrySegments, 'valueFrom'], { secretKeyRef: { name: secretName, key } }),
            ],
          ),
        });
      }
    }
  },
});

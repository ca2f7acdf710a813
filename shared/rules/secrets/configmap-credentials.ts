// Credentials stored in ConfigMaps: readable with plain `view` rights, never covered by Secrets encryption, copied
// into Git and backups. Judged by key name and value shape (secret-detection.ts); a finding never carries the value.
import { defineRule, recordField, toJsonPath } from '../../engine/index.ts';
import { nameOf, namespaceOf } from '../../engine/snapshot-index.ts';
import { isPlaceholder, isSecretName, secretKindOfValue } from '../../facts/secret-detection.ts';
import { isSystemNamespace } from '../../facts/system-namespaces.ts';

/** `name=value`, `name: value`, `name = "value"` lines of a config file held in one ConfigMap key. */
const settingLine = /^\s*["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[:=]\s*["']?([^"'#\s][^"'#]*?)["']?\s*,?\s*$/;

/** Why a ConfigMap entry holds a credential, or undefined. Never returns any part of the value. */
export function credentialReason(key: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const kind = secretKindOfValue(value);
  if (kind) return `its value contains ${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}`;
  const lines = value.split('\n');
  if (lines.length === 1) return isSecretName(key) && !isPlaceholder(value) ? 'its name says it is a credential' : undefined;
  for (const [i, line] of lines.entries()) {
    const match = settingLine.exec(line);
    if (match && isSecretName(match[1]!.split('.').at(-1)!) && !isPlaceholder(match[2]!)) {
      return `line ${i + 1} of its value sets "${match[1]}"`;
    }
  }
  return undefined;
}

export default defineRule({
  id: 'configmap-credentials',
  meta: {
    title: 'Credential in a ConfigMap',
    description:
      'A ConfigMap entry holds what looks like a credential: a key named like one (`DB_PASSWORD`, `apiKey`), a value shaped like an AWS access key, private key, token or URL with a password, or a config file line that sets one. ConfigMaps are readable with plain `view` rights, are not covered by Secrets encryption, and end up in Git and backups. kube-system, kube-public and kube-node-lease are skipped.',
    severity: 'high',
    domain: 'secrets',
    targets: ['ConfigMap'],
    frameworks: { 'owasp-k8s-2022': ['K08'], 'nsa-cisa': ['secrets'] },
    remediation:
      'Move the value to a Secret (better: AWS Secrets Manager through the Secrets Store CSI driver or External Secrets), reference it from the workload, and rotate the credential: it has been exposed.',
    messages: {
      credential: 'ConfigMap "{{configMap}}" key "{{key}}" holds a credential: {{reason}}.',
    },
  },
  check(object, ctx) {
    if (isSystemNamespace(namespaceOf(object))) return;
    for (const [key, value] of Object.entries(recordField(object, 'data') ?? {})) {
      const reason = credentialReason(key, value);
      if (!reason) continue;
      ctx.report({ messageId: 'credential', data: { configMap: nameOf(object), key, reason }, path: toJsonPath(['data', key]), key });
    }
  },
});

// Stable identities of findings: what they are about, never uids or resourceVersions.
import { createHash } from 'node:crypto';

export interface FingerprintParts {
  clusterId: string;
  ruleId: string;
  kind: string;
  namespace?: string | undefined;
  name: string;
  container?: string | undefined;
  key?: string | undefined;
}

export function fingerprintOf(parts: FingerprintParts): string {
  const text = [
    parts.clusterId,
    parts.ruleId,
    parts.kind,
    parts.namespace ?? '',
    parts.name,
    parts.container ?? '',
    parts.key ?? '',
  ].join('\u0000');
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export function contentHashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

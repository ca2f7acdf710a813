// Findings as the engine produces them, built small for store tests.
import { contentHashOf, fingerprintOf } from '../../shared/engine/fingerprint.ts';
import type { Finding, Severity, Suppression } from '../../shared/model/finding.ts';
import type { KindCoverage } from '../../shared/model/snapshot.ts';

export interface FindingSpec {
  clusterId?: string;
  ruleId?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  severity?: Severity;
  message?: string;
  at?: string;
  suppression?: Suppression;
}

export function finding(spec: FindingSpec = {}): Finding {
  const clusterId = spec.clusterId ?? 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';
  const ruleId = spec.ruleId ?? 'privileged-container';
  const kind = spec.kind ?? 'Deployment';
  const namespace = spec.namespace ?? 'shop';
  const name = spec.name ?? 'web';
  const severity = spec.severity ?? 'critical';
  const message = spec.message ?? `Container app of ${kind} ${name} runs privileged`;
  const at = spec.at ?? '2026-01-01T00:00:00.000Z';
  const path = 'spec.template.spec.containers[0].securityContext.privileged';
  const base: Finding = {
    fingerprint: fingerprintOf({ clusterId, ruleId, kind, namespace, name }),
    clusterId,
    ruleId,
    severity,
    resource: { apiVersion: 'apps/v1', kind, namespace, name },
    message,
    path,
    frameworks: { 'owasp-k8s-2022': ['K01'] },
    status: spec.suppression ? 'SUPPRESSED' : 'OPEN',
    firstSeenAt: at,
    lastSeenAt: at,
    contentHash: contentHashOf([severity, message, path, null]),
  };
  if (spec.suppression) base.suppression = spec.suppression;
  return base;
}

/** `count` distinct findings spread over a few kinds, namespaces, rules and severities. */
export function manyFindings(count: number, spec: FindingSpec = {}): Finding[] {
  const kinds = ['Deployment', 'DaemonSet', 'StatefulSet', 'CronJob'];
  const rules = ['privileged-container', 'host-network', 'run-as-root', 'missing-limits'];
  const severities: Severity[] = ['critical', 'high', 'medium', 'low'];
  return Array.from({ length: count }, (_, i) =>
    finding({
      ...spec,
      kind: kinds[i % kinds.length],
      ruleId: rules[Math.floor(i / 7) % rules.length],
      severity: severities[i % severities.length],
      namespace: `team-${i % 50}`,
      name: `app-${i}`,
    }),
  );
}

/** Coverage with every listed kind complete, plus overrides. */
export function coverage(kinds: readonly string[], overrides: Record<string, KindCoverage> = {}): Record<string, KindCoverage> {
  return { ...Object.fromEntries(kinds.map((k) => [k, { complete: true, count: 1 }])), ...overrides };
}

export const workloadKinds = ['Deployment', 'DaemonSet', 'StatefulSet', 'CronJob'];

// Findings, scan events and a fixed rule catalogue for the notifier tests.
import { contentHashOf, fingerprintOf } from '../../shared/engine/fingerprint.ts';
import { severities, type Finding, type Fix, type Severity } from '../../shared/model/finding.ts';
import { scanCompletedSchema, summaryCap, type ScanCompleted } from '../../shared/model/pipeline.ts';
import type { RuleCatalogue, RuleInfo } from '../../shared/notify/digest.ts';
import type { ClusterRef } from '../../shared/model/cluster.ts';

export const prod: ClusterRef = {
  id: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod',
  name: 'prod',
  arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod',
  accountId: '111122223333',
  region: 'eu-west-1',
  source: 'eks',
};

/** Rule metadata frozen for golden files (the real catalogue's wording may evolve). */
const testRules: RuleInfo[] = [
  {
    id: 'path-public-workload-pivot',
    title: 'Internet-facing workload leads to the node',
    description: 'An internet-facing load balancer selects a workload whose compromise yields its node.',
    severity: 'critical',
    domain: 'path',
    remediation: 'Remove the public exposure or the privilege: either link breaks the path.',
    frameworks: { 'owasp-k8s-2022': ['K01', 'K07'] },
  },
  {
    id: 'privileged-container',
    title: 'Privileged container',
    description: 'A privileged container has every capability and device of its node: escaping is one mount away.',
    severity: 'critical',
    domain: 'workload',
    remediation: 'Set securityContext.privileged to false, and grant only the capabilities the process needs.',
    frameworks: { 'owasp-k8s-2022': ['K01'], 'cis-eks-1.8': ['4.2.1'], pss: ['baseline/privileged'] },
  },
  {
    id: 'host-namespaces',
    title: 'Pod shares host namespaces',
    description: 'hostNetwork, hostPID or hostIPC let the pod see and reach what belongs to the node.',
    severity: 'high',
    domain: 'workload',
    remediation: 'Remove hostNetwork, hostPID and hostIPC from the pod spec.',
    frameworks: { 'owasp-k8s-2022': ['K01'], pss: ['baseline/hostNamespaces'] },
  },
  {
    id: 'run-as-non-root',
    title: 'Container may run as root',
    description: 'Without runAsNonRoot the image decides, and most images run as root.',
    severity: 'medium',
    domain: 'workload',
    remediation: 'Set securityContext.runAsNonRoot: true and a non-zero runAsUser.',
    frameworks: { pss: ['restricted/runAsNonRoot'] },
  },
];

export const testCatalogue: RuleCatalogue = (id) => testRules.find((r) => r.id === id);

export interface FindingSpec {
  ruleId?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  container?: string | null;
  severity?: Severity;
  fix?: Fix | null;
  status?: Finding['status'];
  cluster?: ClusterRef;
  at?: string;
}

export function finding(spec: FindingSpec = {}): Finding {
  const cluster = spec.cluster ?? prod;
  const ruleId = spec.ruleId ?? 'privileged-container';
  const kind = spec.kind ?? 'Deployment';
  const namespace = spec.namespace ?? 'shop';
  const name = spec.name ?? 'web';
  const container = spec.container === null ? undefined : (spec.container ?? 'app');
  const severity = spec.severity ?? testCatalogue(ruleId)?.severity ?? 'high';
  const at = spec.at ?? '2026-11-23T10:00:00.000Z';
  const path = 'spec.template.spec.containers[0].securityContext.privileged';
  const fix: Fix | undefined =
    spec.fix === null
      ? undefined
      : (spec.fix ?? {
          description: `Set privileged: false on container ${container ?? 'app'}`,
          patch: [{ op: 'replace', path: '/spec/template/spec/containers/0/securityContext/privileged', value: false }],
        });
  const message = `Container ${container ?? 'app'} of ${kind} ${namespace}/${name} runs privileged (it's root on the node)`;
  const f: Finding = {
    fingerprint: fingerprintOf({ clusterId: cluster.id, ruleId, kind, namespace, name, container }),
    clusterId: cluster.id,
    ruleId,
    severity,
    resource: container ? { apiVersion: 'apps/v1', kind, namespace, name, container } : { apiVersion: 'apps/v1', kind, namespace, name },
    message,
    path,
    frameworks: testCatalogue(ruleId)?.frameworks ?? {},
    status: spec.status ?? 'OPEN',
    firstSeenAt: at,
    lastSeenAt: at,
    contentHash: contentHashOf([severity, message, path, fix ?? null]),
  };
  if (fix) f.fix = fix;
  return f;
}

const ruleCycle = ['privileged-container', 'host-namespaces', 'run-as-non-root', 'path-public-workload-pivot'];
const severityCycle: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** `count` findings over a few rules and severities, on distinct workloads. */
export function manyFindings(count: number, prefix = 'app'): Finding[] {
  return Array.from({ length: count }, (_, i) =>
    finding({
      ruleId: ruleCycle[i % ruleCycle.length] as string,
      severity: severityCycle[i % severityCycle.length] as Severity,
      namespace: `team-${i % 7}`,
      name: `${prefix}-${i}`,
    }),
  );
}

export interface ScanSpec {
  opened?: Finding[];
  resolved?: Finding[];
  open?: Finding[];
  firstScan?: boolean;
  scanId?: string;
  unchanged?: number;
  suppressed?: number;
  /** The scan's coverage (default: Deployment read completely). */
  coverage?: ScanCompleted['coverage'];
}

/** A Scan Completed event as the pipeline publishes it (checked against the model's schema). */
export function scanCompleted(spec: ScanSpec): ScanCompleted {
  const opened = spec.opened ?? [];
  const resolved = spec.resolved ?? [];
  const open = spec.open ?? opened;
  const summary = (f: Finding) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, severity: f.severity, resource: f.resource });
  return scanCompletedSchema.parse({
    cluster: { id: prod.id, name: prod.name, arn: prod.arn, accountId: prod.accountId, region: prod.region },
    scanId: spec.scanId ?? 'scan-0002',
    startedAt: '2026-11-23T10:00:00.000Z',
    completedAt: '2026-11-23T10:01:30.000Z',
    counts: {
      open: Object.fromEntries(severities.map((s) => [s, open.filter((f) => f.severity === s).length])),
      opened: opened.length,
      resolved: resolved.length,
      unchanged: spec.unchanged ?? 0,
      suppressed: spec.suppressed ?? 0,
    },
    opened: opened.slice(0, summaryCap).map(summary),
    resolved: resolved.slice(0, summaryCap).map(summary),
    truncated: opened.length > summaryCap || resolved.length > summaryCap,
    coverage: spec.coverage ?? { Deployment: { complete: true, count: 10 } },
    baseline: spec.firstScan ?? false,
  });
}

// Attack paths from the internet: an internet-facing LoadBalancer or ALB → the workload it selects → what a
// compromise of that workload yields (the node, cluster-wide Kubernetes power, an AWS IAM role). One finding per
// exposed workload, with every hop explained and a combined severity, so a public dashboard in a privileged pod
// is one critical path and not a scatter of unrelated findings.
import { arrayField, boolField, containersOf, defineRule, podTemplateOf, recordField, stringField } from '../../engine/index.ts';
import { nameOf, namespaceOf, type SnapshotIndex } from '../../engine/snapshot-index.ts';
import { severityRank, type Severity } from '../../model/finding.ts';
import { workloadKinds, type KubeObject } from '../../model/kube.ts';
import { analyzeRbac, serviceAccountSubject, type RiskHit } from '../../rbac/index.ts';
import { classifyHostPath, hostPathOf, normalizeHostPath } from '../../facts/host-path.ts';
import { internetEntriesOf } from '../../facts/internet-exposure.ts';
import { iamRolesOf, serviceAccountOf, tokenMountOf } from '../../facts/service-account.ts';
import { workloadLabel } from '../../facts/workloads.ts';

export interface Hop {
  kind: 'entry' | 'workload' | 'escape' | 'node' | 'identity' | 'cloud';
  /** What the hop is: `Service/ns/name`, `Deployment/ns/name`, a container, an IAM role ARN... */
  ref: string;
  /** Why the attacker gets from the previous hop to this one. */
  fact: string;
}

/** Ways out of a container onto its node. */
function nodeEscapesOf(workload: KubeObject): Hop[] {
  const template = podTemplateOf(workload);
  if (!template) return [];
  const ref = workloadLabel(workload);
  const hops: Hop[] = [];
  for (const container of containersOf(workload)) {
    if (boolField(recordField(container.container, 'securityContext'), 'privileged') === true) {
      hops.push({ kind: 'escape', ref: `${ref} container "${container.name}"`, fact: 'runs privileged: every device and capability of the node, escape is one mount away' });
    }
  }
  if (boolField(template.spec, 'hostPID') === true) {
    hops.push({ kind: 'escape', ref, fact: 'shares the host PID namespace: sees, signals and (as root) enters every process of the node' });
  }
  for (const volume of arrayField(template.spec, 'volumes')) {
    const path = hostPathOf(volume);
    if (path === undefined) continue;
    const sensitive = classifyHostPath(normalizeHostPath(path));
    if (sensitive?.severity !== 'critical') continue;
    hops.push({ kind: 'escape', ref: `${ref} volume "${stringField(volume, 'name') ?? ''}"`, fact: `mounts hostPath ${path}: ${sensitive.what}` });
  }
  return hops;
}

const pivotClasses = new Set(['cluster-admin', 'namespace-admin', 'read-secrets']);

function riskFact(hit: RiskHit): string {
  const where = hit.scope === 'cluster' ? 'cluster-wide' : `in ${hit.namespaces.join(', ')}`;
  const via = hit.grantedBy.map((b) => (b.namespace ? `${b.kind} ${b.namespace}/${b.name}` : `${b.kind} ${b.name}`)).join(', ');
  const power = hit.riskClass === 'cluster-admin' ? 'is cluster-admin' : hit.riskClass === 'namespace-admin' ? 'administers the namespace' : 'can read secrets';
  return `its mounted token ${power} ${where} (granted by ${via})`;
}

/** Kubernetes powers the workload's service-account token carries (when the token is mounted). */
function identityHops(workload: KubeObject, index: SnapshotIndex): { hops: Hop[]; severity?: Severity } {
  const template = podTemplateOf(workload);
  const namespace = namespaceOf(workload);
  if (!template || !namespace || tokenMountOf(workload, template, index) === 'disabled') return { hops: [] };
  const account = serviceAccountOf(template);
  const hits = analyzeRbac(index)
    .riskClassesOf(serviceAccountSubject(namespace, account))
    .filter((hit) => pivotClasses.has(hit.riskClass) || hit.severity === 'critical');
  if (hits.length === 0) return { hops: [] };
  const ref = `ServiceAccount/${namespace}/${account}`;
  const hops = hits.map((hit) => ({ kind: 'identity' as const, ref, fact: riskFact(hit) }));
  return { hops, severity: maxOf(hits.map((h) => h.severity)) };
}

/** The IAM role the workload's pods can assume (IRSA annotation or an EKS Pod Identity association). */
function cloudHops(workload: KubeObject, index: SnapshotIndex): Hop[] {
  const template = podTemplateOf(workload);
  const namespace = namespaceOf(workload);
  if (!template || !namespace) return [];
  const account = serviceAccountOf(template);
  const roles = new Map<string, string>();
  for (const { roleArn, via } of iamRolesOf(index, namespace, account)) {
    if (roles.has(roleArn)) continue;
    roles.set(roleArn, `${via === 'irsa' ? 'IRSA annotation on' : 'EKS Pod Identity association for'} ServiceAccount ${namespace}/${account}`);
  }
  return [...roles].map(([arn, how]) => ({ kind: 'cloud', ref: arn, fact: `pods get credentials for this IAM role (${how})` }));
}

function maxOf(severities: readonly Severity[]): Severity | undefined {
  return [...severities].sort((a, b) => severityRank(b) - severityRank(a))[0];
}

export default defineRule({
  id: 'path-public-workload-pivot',
  meta: {
    title: 'Attack path: internet-facing workload that leads to the node, the cluster or AWS',
    description:
      'An internet-facing LoadBalancer Service or ALB Ingress reaches a workload whose compromise goes further: a privileged container, hostPID or a mounted runtime socket / host root gives the node; a mounted service-account token with cluster-admin, namespace-admin or secret-read rights gives the cluster; an IRSA or Pod Identity role gives AWS. The finding lists each hop with the fact that makes it possible; its severity is that of the most powerful hop (critical for the node or cluster-admin).',
    severity: 'critical',
    domain: 'path',
    targets: workloadKinds,
    reads: ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Ingress', 'Role', 'RoleBinding', 'Service', 'ServiceAccount'],
    frameworks: { 'owasp-k8s-2022': ['K01', 'K03', 'K07'], 'nsa-cisa': ['network-separation', 'pod-security'] },
    remediation:
      'Break the chain at its cheapest link: make the entry internal or put authentication in front of it; drop privileged/hostPID/host mounts from the workload; give it a service account without cluster-wide rights and `automountServiceAccountToken: false`; scope its IAM role to what it needs.',
    messages: {
      path: '{{entry}} exposes {{workload}} to the internet, and a compromise of it reaches {{reach}}.',
    },
  },
  check(object, ctx) {
    const entries = internetEntriesOf(ctx.snapshot, object);
    if (entries.length === 0) return;
    const escapes = nodeEscapesOf(object);
    const identity = identityHops(object, ctx.snapshot);
    const cloud = cloudHops(object, ctx.snapshot);
    if (escapes.length === 0 && identity.hops.length === 0 && cloud.length === 0) return;

    const workload = workloadLabel(object);
    const hops: Hop[] = [
      ...entries.map((e) => ({ kind: 'entry' as const, ref: e.ref, fact: e.fact })),
      { kind: 'workload', ref: `${String(object.kind)}/${namespaceOf(object) ?? ''}/${nameOf(object)}`, fact: 'its pods are selected by the entry point and answer internet traffic' },
      ...escapes,
    ];
    const reach: string[] = [];
    const severities: Severity[] = [];
    if (escapes.length > 0) {
      hops.push({ kind: 'node', ref: 'the node running the pod', fact: 'root on the node: every pod on it, the kubelet credentials and the node IAM role' });
      reach.push('the node');
      severities.push('critical');
    }
    if (identity.hops.length > 0) {
      hops.push(...identity.hops);
      reach.push(identity.severity === 'critical' ? 'cluster-wide Kubernetes control' : 'Kubernetes secrets');
      severities.push(identity.severity === 'critical' ? 'critical' : 'high');
    }
    if (cloud.length > 0) {
      hops.push(...cloud);
      reach.push(`AWS as ${cloud.map((h) => h.ref).join(', ')}`);
      severities.push('high');
    }
    const severity = maxOf(severities) ?? 'high';
    ctx.report({
      messageId: 'path',
      data: { entry: entries[0]!.ref, workload, reach: reach.join(', ') },
      path: '',
      severity,
      details: { hops, severity },
    });
  },
});

// Namespaces without Pod Security Admission enforcement, with the level each could enforce today: the strictest
// one that admits every running workload, judged by running the PSS pack over the namespace's workloads.
import { defineRule, fix, listNames, setOps, toJsonPath, type AnyRule } from '../../engine/index.ts';
import { labelsOf, nameOf, type SnapshotIndex } from '../../engine/snapshot-index.ts';
import { isSystemNamespace } from '../../facts/system-namespaces.ts';
import { workloadLabel, workloadsIn } from '../../facts/workloads.ts';
import type { KubeObject } from '../../model/kube.ts';
import { workloadKinds } from '../../model/kube.ts';
import { pssPack } from '../pss.ts';

const enforceLabel = 'pod-security.kubernetes.io/enforce';

type PssLevel = 'baseline' | 'restricted';

interface PssBlocker {
  workload: string;
  /** PSS check ids (`baseline/privileged`, ...) the workload fails. */
  checks: string[];
}

interface PssReadiness {
  namespace: string;
  /** The strictest level that admits every workload of the namespace, or undefined when even baseline would not. */
  readyFor?: PssLevel;
  /** Workloads that fail baseline (they block both levels). */
  baselineBlockers: PssBlocker[];
  /** Workloads that pass baseline but fail restricted. */
  restrictedBlockers: PssBlocker[];
}

function pssChecksOf(rule: AnyRule): string[] {
  return [...(rule.meta.frameworks.pss ?? [])];
}

/** The PSS checks a workload fails according to the given rules. A rule that throws counts as failing its checks:
 * readiness is only claimed when every check passed. */
function failedChecks(workload: KubeObject, rules: readonly AnyRule[], index: SnapshotIndex): string[] {
  const failed = new Set<string>();
  for (const rule of rules) {
    const checks = pssChecksOf(rule);
    if (checks.length === 0 || !rule.meta.targets.includes(String(workload.kind))) continue;
    let hit = false;
    try {
      rule.check(workload, { snapshot: index, report: () => (hit = true) });
    } catch {
      hit = true;
    }
    if (hit) for (const check of checks) failed.add(check);
  }
  return [...failed].sort();
}

function pssReadinessOf(namespace: string, index: SnapshotIndex, rules: readonly AnyRule[]): PssReadiness {
  const baselineBlockers: PssBlocker[] = [];
  const restrictedBlockers: PssBlocker[] = [];
  for (const workload of workloadsIn(index, namespace)) {
    const checks = failedChecks(workload, rules, index);
    if (checks.some((c) => c.startsWith('baseline/'))) baselineBlockers.push({ workload: workloadLabel(workload), checks });
    else if (checks.length > 0) restrictedBlockers.push({ workload: workloadLabel(workload), checks });
  }
  const readiness: PssReadiness = { namespace, baselineBlockers, restrictedBlockers };
  if (baselineBlockers.length === 0) readiness.readyFor = restrictedBlockers.length === 0 ? 'restricted' : 'baseline';
  return readiness;
}

/** The rule, judging readiness with the given rules (the PSS pack; tests pass their own). */
export function namespacePssEnforceMissing(catalogue: () => readonly AnyRule[]): AnyRule {
  return defineRule({
    id: 'namespace-pss-enforce-missing',
    meta: {
      title: 'Namespace without Pod Security Admission enforcement',
      description:
        'Without a `pod-security.kubernetes.io/enforce` label (or with `privileged`), Pod Security Admission admits any pod into the namespace, privileged ones included. The finding says which level (restricted or baseline) the namespace could enforce today without rejecting any of its running workloads, judged by Periscope\'s own PSS checks. kube-system, kube-public and kube-node-lease are skipped.',
      severity: 'medium',
      domain: 'policy',
      targets: ['Namespace'],
      reads: workloadKinds,
      frameworks: { 'owasp-k8s-2022': ['K04'], 'nsa-cisa': ['pod-security'] },
      remediation:
        'Label the namespace with the strictest level its workloads pass (`kubectl label ns <ns> pod-security.kubernetes.io/enforce=restricted`); where workloads still block it, start with `warn`/`audit` labels and fix the listed workloads.',
      messages: {
        missing: 'Namespace "{{namespace}}" enforces no Pod Security Standard; {{advice}}.',
        privileged: 'Namespace "{{namespace}}" enforces the privileged Pod Security level (no restriction); {{advice}}.',
      },
    },
    check(object, ctx) {
      const namespace = nameOf(object);
      if (!namespace || isSystemNamespace(namespace)) return;
      const current = labelsOf(object)[enforceLabel];
      if (current === 'baseline' || current === 'restricted') return;
      const readiness = pssReadinessOf(namespace, ctx.snapshot, catalogue());
      const blockers = readiness.baselineBlockers.map((b) => b.workload);
      const segments = ['metadata', 'labels', enforceLabel];
      const advice = readiness.readyFor
        ? `it could enforce ${readiness.readyFor} today without rejecting any running workload`
        : `baseline would reject ${listNames(blockers, '')}`;
      ctx.report({
        messageId: current === 'privileged' ? 'privileged' : 'missing',
        data: { namespace, advice },
        path: toJsonPath(segments),
        details: { ...readiness },
        ...(readiness.readyFor
          ? { fix: fix(`Enforce the ${readiness.readyFor} Pod Security Standard`, setOps(object, segments, readiness.readyFor)) }
          : {}),
      });
    },
  });
}

export default namespacePssEnforceMissing(() => pssPack);

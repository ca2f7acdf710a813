// Which Pod Security Standards level each namespace could enforce today without rejecting a running workload,
// computed by running the registered rules that carry a `pss` mapping over the namespace's workloads.
import type { AnyRule } from '../../engine/rule.ts';
import type { SnapshotIndex } from '../../engine/snapshot-index.ts';
import type { KubeObject } from '../../model/kube.ts';
import { workloadLabel, workloadsIn } from '../network/label-selector.ts';

export type PssLevel = 'baseline' | 'restricted';

export interface PssBlocker {
  workload: string;
  /** PSS check ids (`baseline/privileged`, ...) the workload fails. */
  checks: string[];
}

export interface PssReadiness {
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

export function pssReadinessOf(namespace: string, index: SnapshotIndex, rules: readonly AnyRule[]): PssReadiness {
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

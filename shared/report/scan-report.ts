// What every report format renders: one scan's findings with the context needed to explain them.
import type { AnyRule } from '../engine/rule.ts';
import { engineErrorRule, type RuleSkip } from '../engine/run.ts';
import type { ClusterRef } from '../model/cluster.ts';
import { severities, type Finding, type Severity } from '../model/finding.ts';
import { refKey } from '../model/kube.ts';
import type { KindCoverage } from '../model/snapshot.ts';

/** How the scan changed the stored findings; present only when a store is in use. */
export interface Lifecycle {
  opened: number;
  resolved: number;
  unchanged: number;
}

export interface ScanReport {
  cluster: ClusterRef;
  scannedAt: string;
  coverage: Record<string, KindCoverage>;
  /** In the engine's order (most severe first). */
  findings: readonly Finding[];
  /** The catalogue the scan ran: titles, remediation and framework ids come from here. */
  rules: readonly AnyRule[];
  lifecycle?: Lifecycle;
  /** Rules that did not run, and why. */
  skipped?: readonly RuleSkip[];
  /** Kinds read but checked by no rule, with their object counts. */
  uncheckedKinds?: Readonly<Record<string, number>>;
  /** Inputs that could not be read or parsed, already formatted (`file:line: message`). */
  inputErrors?: readonly string[];
}

export function ruleOf(report: Pick<ScanReport, 'rules'>, ruleId: string): AnyRule | undefined {
  if (ruleId === engineErrorRule.id) return engineErrorRule;
  return report.rules.find((rule) => rule.id === ruleId);
}

export function titleOf(report: Pick<ScanReport, 'rules'>, ruleId: string): string {
  return ruleOf(report, ruleId)?.meta.title ?? ruleId;
}

export interface Summary {
  /** OPEN findings by severity, every severity present. */
  bySeverity: Record<Severity, number>;
  suppressed: number;
}

export function summarize(findings: readonly Finding[]): Summary {
  const bySeverity = Object.fromEntries(severities.map((severity) => [severity, 0])) as Record<Severity, number>;
  let suppressed = 0;
  for (const finding of findings) {
    if (finding.status === 'SUPPRESSED') suppressed += 1;
    else if (finding.status === 'OPEN') bySeverity[finding.severity] += 1;
  }
  return { bySeverity, suppressed };
}

/** `Deployment/shop/web`, `ClusterRole/admin`, with `[container]` when the finding is about one. */
export function resourceLabel(resource: Finding['resource']): string {
  const base = refKey(resource);
  return resource.container ? `${base}[${resource.container}]` : base;
}

// What every report format renders: one scan's findings with the context needed to explain them.
import type { AnyRule } from '../engine/rule.ts';
import { engineErrorRule, type RuleSkip } from '../engine/run.ts';
import type { ClusterRef } from '../model/cluster.ts';
import { severities, type Finding, type Severity } from '../model/finding.ts';
import { refKey } from '../model/kube.ts';
import { unreadKindsOf, type KindCoverage, type UnreadKind } from '../model/snapshot.ts';

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
  /** Inputs that could not be read or parsed (a manifest's parse error, an unreadable path or link). */
  inputErrors?: readonly InputError[];
}

/** An input that could not be read or parsed, where it is when it has a place. */
export interface InputError {
  file?: string;
  /** 1-based. */
  line?: number;
  column?: number;
  message: string;
}

/** `deploy/web.yaml:3:7: message`, or the message alone. */
export function formatInputError(error: InputError): string {
  const where = [error.file, error.line, error.column].filter((part) => part !== undefined).join(':');
  return where ? `${where}: ${error.message}` : error.message;
}

/** Whether the scan saw everything it tried to read: every format shows it, and the CLI exits 3 when it did not. */
export interface CoverageSummary {
  /** False when a kind or EKS call failed or was forbidden, or an input could not be read. */
  complete: boolean;
  /** Kinds and EKS calls attempted, and how many of them were read completely. */
  kinds: number;
  read: number;
  /** Failed or forbidden: findings about them are not the whole picture and none of theirs is resolved. */
  unread: UnreadKind[];
  /** Not read by configuration (`skipped: ...`, Secrets in strict mode): known and chosen, so not incomplete. */
  skipped: UnreadKind[];
  inputErrors: number;
}

export function coverageSummaryOf(report: Pick<ScanReport, 'coverage' | 'inputErrors'>): CoverageSummary {
  const entries = Object.entries(report.coverage);
  const { unread, skipped } = unreadKindsOf(report.coverage);
  const inputErrors = report.inputErrors?.length ?? 0;
  return {
    complete: unread.length === 0 && inputErrors === 0,
    kinds: entries.length,
    read: entries.length - unread.length - skipped.length,
    unread,
    skipped,
    inputErrors,
  };
}

/** `3 of 25 kinds were not read completely` (and the input errors), for banners and the CLI's warning. */
export function incompleteText(summary: CoverageSummary): string {
  const parts: string[] = [];
  if (summary.unread.length > 0) parts.push(`${summary.unread.length} of ${summary.kinds} kinds were not read completely`);
  if (summary.inputErrors > 0) parts.push(`${summary.inputErrors} input${summary.inputErrors === 1 ? '' : 's'} could not be read`);
  return parts.join('; ');
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

// The diff between what the store knows about a cluster and what a scan found: pure, no I/O, no clock.
import { engineErrorRuleId } from '../engine/run.ts';
import type { Finding, Suppression } from '../model/finding.ts';
import type { KindCoverage } from '../model/snapshot.ts';
import { rules } from '../rules/index.ts';
import type { ScanSummary, StoredFinding, Transition } from './records.ts';

export interface ReconcileOptions {
  /** The scan's time (the snapshot's `takenAt`); defaults to the current findings' `lastSeenAt`. */
  scannedAt?: string;
  /** Time of the cluster's last committed scan: stored changes newer than it were never announced. */
  committedAt?: string;
  /** Rules that did not run in this scan: their findings are kept as they are. */
  skippedRules?: readonly string[];
  /** Rule id → the kinds it reads beyond the object judged (meta.reads); the catalogue's by default. */
  ruleKinds?: RuleKinds;
}

/** Rule id → the kinds a rule reads beyond the object it judges (meta.reads). */
export type RuleKinds = ReadonlyMap<string, readonly string[]>;

export function ruleKindsOf(catalogue: readonly { id: string; meta: { reads?: readonly string[] } }[]): RuleKinds {
  return new Map(catalogue.map((rule) => [rule.id, rule.meta.reads ?? []]));
}

const catalogueKinds = ruleKindsOf(rules);

export interface Reconciliation {
  scannedAt: string;
  opened: StoredFinding[];
  reopened: StoredFinding[];
  /** Still open (or still suppressed) but saying something else: message, severity, path, fix or reason. */
  changed: StoredFinding[];
  resolved: StoredFinding[];
  /** Became SUPPRESSED in this scan (new, reopened or previously open). */
  suppressed: StoredFinding[];
  /** Was SUPPRESSED, is OPEN again (the exception expired or was removed). Alerts like a new finding. */
  unsuppressed: StoredFinding[];
  unchanged: StoredFinding[];
  /** Not seen, but kept as they were: their kind, or a kind their rule reads, was not completely listed;
   * their rule did not run, or it threw on the object. */
  notCovered: StoredFinding[];
  /** Full records to write: exactly the findings whose stored state changed. */
  writes: StoredFinding[];
  /** Every OPEN or SUPPRESSED finding of the cluster after this scan. */
  active: StoredFinding[];
}

const eksFactsPrefix = 'eks:';

/** Whether a scan saw every object of this kind, so a finding about it that is gone is really gone. */
export function kindCovered(kind: string, coverage: Readonly<Record<string, KindCoverage>>): boolean {
  const own = coverage[kind];
  if (own) return own.complete;
  const entries = Object.entries(coverage);
  if (kind === 'EKSCluster') {
    const eks = entries.filter(([key]) => key.startsWith(eksFactsPrefix));
    return eks.length > 0 && eks.every(([, c]) => c.complete);
  }
  if (kind === 'Snapshot') return entries.length > 0 && entries.every(([, c]) => c.complete);
  return false;
}

/**
 * Whether a finding that is gone is really gone: its own kind was completely listed, and so was every kind its rule
 * reads (an attack path with Services forbidden, a blast radius with RoleBindings forbidden proves nothing). The
 * rule's other target kinds do not count: a DaemonSet judged alone is judged whether Deployments were listed or not. A kind the scan never attempts (no entry: not collected by this source, or the EKSCluster and Snapshot
 * pseudo-kinds, whose rules declare what they read) reads the same every scan and does not hold a finding open.
 */
function findingCovered(finding: StoredFinding, coverage: Readonly<Record<string, KindCoverage>>, ruleKinds: RuleKinds): boolean {
  if (!kindCovered(finding.resource.kind, coverage)) return false;
  for (const kind of ruleKinds.get(finding.ruleId) ?? []) {
    if (coverage[kind]?.complete === false) return false;
  }
  return true;
}

function sameSuppression(a: Suppression | undefined, b: Suppression | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.reason === b.reason &&
    a.source === b.source &&
    a.owner === b.owner &&
    a.expiresAt === b.expiresAt &&
    a.exceptionId === b.exceptionId
  );
}

function latestSeen(current: readonly Finding[], stored: readonly StoredFinding[]): string {
  let latest = '';
  for (const f of current) if (f.lastSeenAt > latest) latest = f.lastSeenAt;
  if (latest) return latest;
  for (const f of stored) if (f.lastSeenAt > latest) latest = f.lastSeenAt;
  return latest;
}

/**
 * Rule evaluations that threw, read from the scan's `engine-error` findings. A rule that threw on an object did not
 * judge it, so its earlier findings on that object are kept; a rule that threw on the EKSCluster or Snapshot
 * pseudo-object (run once for the whole cluster) is treated as not run at all.
 */
function failedEvaluations(current: readonly Finding[]): { rules: Set<string>; objects: Set<string> } {
  const rules = new Set<string>();
  const objects = new Set<string>();
  for (const f of current) {
    const rule = f.ruleId === engineErrorRuleId ? f.details?.rule : undefined;
    if (typeof rule !== 'string') continue;
    if (f.resource.kind === 'EKSCluster' || f.resource.kind === 'Snapshot') rules.add(rule);
    else objects.add(evaluationKey(rule, f.resource));
  }
  return { rules, objects };
}

function evaluationKey(ruleId: string, resource: Finding['resource']): string {
  return JSON.stringify([ruleId, resource.kind, resource.namespace ?? '', resource.name]);
}

/** The lists of one reconciliation, and how a finding lands in them. */
interface Ledger {
  result: Reconciliation;
  /** A change this scan writes. */
  record(transition: Transition, finding: StoredFinding): void;
  /** Nothing to write; but a change a crashed scan stored and never announced is announced now. */
  keep(finding: StoredFinding, unchanged: StoredFinding[]): void;
  /** The stored change of a finding that no committed scan announced. */
  pending(finding: StoredFinding): Transition | undefined;
}

function ledgerOf(at: string, committedAt: string | undefined): Ledger {
  const result: Reconciliation = {
    scannedAt: at,
    opened: [],
    reopened: [],
    changed: [],
    resolved: [],
    suppressed: [],
    unsuppressed: [],
    unchanged: [],
    notCovered: [],
    writes: [],
    active: [],
  };
  const lists: Record<Transition, StoredFinding[]> = {
    opened: result.opened,
    reopened: result.reopened,
    changed: result.changed,
    resolved: result.resolved,
    suppressed: result.suppressed,
    unsuppressed: result.unsuppressed,
  };
  const pending = (f: StoredFinding): Transition | undefined =>
    f.lastChange !== undefined &&
    f.changedAt !== undefined &&
    (committedAt === undefined || f.changedAt > committedAt)
      ? f.lastChange
      : undefined;
  return {
    result,
    pending,
    record(transition, finding) {
      lists[transition].push(finding);
      result.writes.push(finding);
    },
    keep(finding, unchanged) {
      const transition = pending(finding);
      if (transition) lists[transition].push(finding);
      else unchanged.push(finding);
    },
  };
}

/** What became of a finding this scan saw, against its stored state; undefined when nothing changed. */
function seenChange(now: Finding, before: StoredFinding | undefined, at: string): [Transition, StoredFinding] | undefined {
  const base = { ...now, lastSeenAt: at, changedAt: at };
  delete base.resolvedAt;
  const suppressedNow = now.status === 'SUPPRESSED';
  if (!before) {
    const transition: Transition = suppressedNow ? 'suppressed' : 'opened';
    return [transition, { ...base, firstSeenAt: at, reopenCount: 0, lastChange: transition }];
  }
  if (before.status === 'RESOLVED') {
    const transition: Transition = suppressedNow ? 'suppressed' : 'reopened';
    return [transition, { ...base, firstSeenAt: before.firstSeenAt, reopenCount: before.reopenCount + 1, lastChange: transition }];
  }
  if (before.status !== now.status) {
    const transition: Transition = suppressedNow ? 'suppressed' : 'unsuppressed';
    return [transition, { ...base, firstSeenAt: before.firstSeenAt, reopenCount: before.reopenCount, lastChange: transition }];
  }
  if (before.contentHash !== now.contentHash || !sameSuppression(before.suppression, now.suppression)) {
    return ['changed', { ...base, firstSeenAt: before.firstSeenAt, reopenCount: before.reopenCount, lastChange: 'changed' }];
  }
  return undefined;
}

/** Every OPEN or SUPPRESSED finding after the writes. */
function activeAfter(stored: readonly StoredFinding[], writes: readonly StoredFinding[]): StoredFinding[] {
  const activeByFingerprint = new Map<string, StoredFinding>();
  for (const f of stored) if (f.status !== 'RESOLVED') activeByFingerprint.set(f.fingerprint, f);
  for (const f of writes) {
    if (f.status === 'RESOLVED') activeByFingerprint.delete(f.fingerprint);
    else activeByFingerprint.set(f.fingerprint, f);
  }
  return [...activeByFingerprint.values()];
}

/** What this scan changes, given the stored findings of one cluster and the findings the engine produced now. */
export function reconcile(
  stored: readonly StoredFinding[],
  current: readonly Finding[],
  coverage: Readonly<Record<string, KindCoverage>>,
  options: ReconcileOptions = {},
): Reconciliation {
  const at = options.scannedAt ?? latestSeen(current, stored);
  const failed = failedEvaluations(current);
  const skipped = new Set([...(options.skippedRules ?? []), ...failed.rules]);
  const ledger = ledgerOf(at, options.committedAt);
  const { result } = ledger;

  const byFingerprint = new Map<string, StoredFinding>();
  for (const f of stored) byFingerprint.set(f.fingerprint, f);
  const seen = new Set<string>();

  for (const now of current) {
    seen.add(now.fingerprint);
    const before = byFingerprint.get(now.fingerprint);
    const change = seenChange(now, before, at);
    if (change) ledger.record(...change);
    else if (before) ledger.keep(before, result.unchanged);
  }

  for (const before of stored) {
    if (seen.has(before.fingerprint)) continue;
    if (before.status === 'RESOLVED') {
      if (ledger.pending(before) === 'resolved') result.resolved.push(before);
      continue;
    }
    if (
      !findingCovered(before, coverage, options.ruleKinds ?? catalogueKinds) ||
      skipped.has(before.ruleId) ||
      failed.objects.has(evaluationKey(before.ruleId, before.resource))
    ) {
      ledger.keep(before, result.notCovered);
      continue;
    }
    const next: StoredFinding = { ...before, status: 'RESOLVED', resolvedAt: at, lastChange: 'resolved', changedAt: at };
    delete next.suppression;
    ledger.record('resolved', next);
  }

  result.active = activeAfter(stored, result.writes);
  return result;
}

/** What a scan announces: the findings that alert like new ones, and the resolved ones. */
export interface Alerts {
  /** New, reopened and no-longer-suppressed findings, in that order: each alerts like a new one. */
  opened: StoredFinding[];
  resolved: StoredFinding[];
}

/** The one place that says which changes of a reconciliation alert (scan record, CLI, events). */
export function alertsOf(reconciliation: Reconciliation): Alerts {
  return {
    opened: [...reconciliation.opened, ...reconciliation.reopened, ...reconciliation.unsuppressed],
    resolved: reconciliation.resolved,
  };
}

/** Counts for the CLI line, the scan record and the Slack digest. */
export function summarize(reconciliation: Reconciliation): ScanSummary {
  const { opened, reopened, unsuppressed, changed, resolved, suppressed, notCovered, active } = reconciliation;
  const openNow = active.filter((f) => f.status === 'OPEN').length;
  const fresh = alertsOf(reconciliation).opened.length;
  return {
    opened: opened.length,
    reopened: reopened.length,
    unsuppressed: unsuppressed.length,
    changed: changed.length,
    resolved: resolved.length,
    newlySuppressed: suppressed.length,
    unchanged: Math.max(0, openNow - fresh - notCovered.filter((f) => f.status === 'OPEN').length),
    suppressed: active.length - openNow,
    notCovered: notCovered.length,
  };
}

/** `3 new, 1 resolved, 40 unchanged, 12 suppressed` — new counts reopened and no-longer-suppressed findings. */
export function formatSummary(summary: ScanSummary): string {
  const fresh = summary.opened + summary.reopened + summary.unsuppressed;
  const parts = [
    `${fresh} new`,
    `${summary.resolved} resolved`,
    `${summary.unchanged} unchanged`,
    `${summary.suppressed} suppressed`,
  ];
  if (summary.notCovered > 0) parts.push(`${summary.notCovered} not re-checked (incomplete listing)`);
  return parts.join(', ');
}

// The engine: every rule over every object it targets, isolated from each other, into findings.
import * as z from 'zod';
import { severities, type Finding, type Severity } from '../model/finding.ts';
import { refOf, type KubeObject, type ObjectRef } from '../model/kube.ts';
import type { Snapshot } from '../model/snapshot.ts';
import { annotationExceptions, type ExceptionMatcher } from './exceptions.ts';
import { contentHashOf, fingerprintOf } from './fingerprint.ts';
import { gitOpsSourceOf } from './gitops.ts';
import { clusterTarget, formatMessage, snapshotTarget, type AnyRule, type Report } from './rule.ts';
import { OrphanedPods } from './orphaned-pods.ts';
import { SnapshotIndex } from './snapshot-index.ts';
import { isWorkload } from './workload.ts';

export const engineErrorRuleId = 'engine-error';

export interface RuleSkip {
  ruleId: string;
  reason: string;
}

export interface RunResult {
  findings: Finding[];
  /** Rules that did not run, and why (no EKS facts for a manifest scan, say). */
  skipped: RuleSkip[];
  /** Objects evaluated (after owner de-duplication), for the summary and benchmarks. */
  evaluated: number;
}

/** What a user may set per rule: its options (checked against the rule's meta.options), turning it off, or its
 * default severity (severities a rule reports on a single finding, like an attack path's, stay as reported). */
const ruleSettingSchema = z.strictObject({
  options: z.unknown().optional(),
  disabled: z.boolean().optional(),
  severity: z.enum(severities).optional(),
});
export type RuleSetting = z.infer<typeof ruleSettingSchema>;
/** Rule id → its settings: `rules:` of the CLI's --config file and of cdk/periscope.config.ts. */
export const ruleSettingsSchema = z.record(z.string().min(1), ruleSettingSchema);
export type RuleSettings = Readonly<Record<string, RuleSetting>>;

export interface RunOptions {
  exceptions?: readonly ExceptionMatcher[];
  ruleSettings?: RuleSettings;
}

/** A rule setting that cannot be used: an unknown rule id, or options its schema rejects. */
export class RuleSettingsError extends Error {
  readonly ruleId: string;
  /** `options.allowedRegistries`, `severity`, or '' for the rule id itself. */
  readonly field: string;
  constructor(ruleId: string, field: string, problem: string) {
    super(`rule ${ruleId}${field ? `: ${field}` : ''}: ${problem}`);
    this.name = 'RuleSettingsError';
    this.ruleId = ruleId;
    this.field = field;
  }
}

function fieldOf(path: readonly PropertyKey[]): string {
  return ['options', ...path.map(String)].join('.');
}

/** The options a rule's check gets: the setting's options parsed by the rule's schema (defaults filled in). */
function optionsOf(rule: AnyRule, setting: RuleSetting | undefined): unknown {
  const schema = rule.meta.options;
  if (!schema) {
    if (setting?.options !== undefined) throw new RuleSettingsError(rule.id, 'options', 'this rule takes no options');
    return undefined;
  }
  const result = schema.safeParse(setting?.options ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new RuleSettingsError(rule.id, fieldOf(issue.path), issue.message);
}

/** Checks settings against the whole catalogue: every id names a rule, every rule's options parse. Throws
 * RuleSettingsError for the first problem; callers prefix where the settings came from. */
export function validateRuleSettings(rules: readonly AnyRule[], settings: RuleSettings): void {
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  for (const [id, setting] of Object.entries(settings)) {
    const rule = byId.get(id);
    if (!rule) throw new RuleSettingsError(id, '', 'no such rule (periscope rules lists them)');
    const parsed = ruleSettingSchema.safeParse(setting);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RuleSettingsError(id, issue.path.map(String).join('.'), issue.message);
    }
    optionsOf(rule, parsed.data);
  }
}

/** Options named by `requires: ['option:<name>']` that the settings do not give. */
function missingOptions(rule: AnyRule, setting: RuleSetting | undefined): string[] {
  const given = setting?.options;
  return (rule.meta.requires ?? [])
    .filter((need) => need.startsWith('option:'))
    .map((need) => need.slice('option:'.length))
    .filter((name) => typeof given !== 'object' || given === null || (given as Record<string, unknown>)[name] === undefined);
}

/** The object a cluster-level rule is called with: it names the cluster in findings. */
function clusterObject(snapshot: Snapshot): KubeObject {
  return {
    apiVersion: 'eks.amazonaws.com/v1',
    kind: clusterTarget,
    metadata: { name: snapshot.clusterInfo?.name ?? snapshot.cluster.name },
  };
}

function snapshotObject(snapshot: Snapshot): KubeObject {
  return { apiVersion: 'periscope.dev/v1', kind: snapshotTarget, metadata: { name: snapshot.cluster.name } };
}

/** Pods owned by a ReplicaSet owned by a Deployment in the snapshot are judged through the Deployment. */
function isJudgedThroughOwner(object: KubeObject, index: SnapshotIndex): boolean {
  return isWorkload(object) && index.ownerOf(object) !== undefined;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** One run's state, shared by its steps. */
interface Run {
  snapshot: Snapshot;
  index: SnapshotIndex;
  /** Pods whose controller the snapshot lacks, judged once per owner reference. */
  orphans: OrphanedPods;
  settings: RuleSettings;
  /** Each rule's parsed options. */
  ruleOptions: ReadonlyMap<string, unknown>;
  matchers: readonly ExceptionMatcher[];
  /** By fingerprint: a rule reporting the same thing twice gives one finding. */
  findings: Map<string, Finding>;
  /** The objects of a kind that rules run on (replicas judged through their owner left out), worked out once per
   * kind rather than once per rule: most rules target the same kinds, and a big cluster has tens of thousands of pods. */
  evaluable: Map<string, readonly KubeObject[]>;
}

function startRun(snapshot: Snapshot, rules: readonly AnyRule[], options: RunOptions): Run {
  const settings = options.ruleSettings ?? {};
  const index = new SnapshotIndex(snapshot);
  return {
    snapshot,
    settings,
    // Every rule's options are validated before anything is evaluated: a bad setting fails the run, not one rule.
    ruleOptions: new Map(rules.map((rule) => [rule.id, optionsOf(rule, settings[rule.id])])),
    index,
    orphans: new OrphanedPods(index),
    matchers: [annotationExceptions, ...(options.exceptions ?? [])],
    findings: new Map(),
    evaluable: new Map(),
  };
}

function evaluableOf(run: Run, kind: string): readonly KubeObject[] {
  let objects = run.evaluable.get(kind);
  if (!objects) {
    objects = run.orphans.onePerOwner(run.index.all(kind).filter((object) => !isJudgedThroughOwner(object, run.index)));
    run.evaluable.set(kind, objects);
  }
  return objects;
}

/** Why a rule does not run at all (turned off, not configured, no EKS facts), or undefined when it runs. */
function skipReasonOf(rule: AnyRule, setting: RuleSetting | undefined, snapshot: Snapshot): string | undefined {
  if (setting?.disabled) return 'disabled by configuration';
  const unset = missingOptions(rule, setting);
  if (unset.length > 0) {
    const fields = unset.map((name) => `rules.${rule.id}.options.${name}`).join(' and ');
    return `runs only when configured: set ${fields} (--config file, or rules in the CDK config)`;
  }
  if ((rule.meta.requires ?? []).some((need) => need === 'clusterInfo' && !snapshot.clusterInfo)) {
    return `needs EKS cluster facts, which a ${snapshot.cluster.source} scan has not`;
  }
  return undefined;
}

/** The finding a report makes, before exceptions are applied; its fields in the order reports print them. */
function findingOf(
  run: Run,
  rule: AnyRule,
  report: Report<Record<string, string>>,
  resource: ObjectRef,
  fingerprint: string,
): Omit<Finding, 'status' | 'suppression'> {
  const { snapshot } = run;
  const template = rule.meta.messages[report.messageId];
  const message = formatMessage(template ?? report.messageId, report.data);
  const severity: Severity = report.severity ?? run.settings[rule.id]?.severity ?? rule.meta.severity;
  const base: Omit<Finding, 'status' | 'suppression'> = {
    fingerprint,
    clusterId: snapshot.cluster.id,
    ruleId: rule.id,
    severity,
    resource: report.container === undefined ? { ...resource } : { ...resource, container: report.container },
    message,
    path: report.path,
    frameworks: rule.meta.frameworks,
    firstSeenAt: snapshot.takenAt,
    lastSeenAt: snapshot.takenAt,
    contentHash: contentHashOf([severity, message, report.path, report.fix ?? null]),
  };
  if (report.fix) base.fix = report.fix;
  if (report.details) base.details = report.details;
  return base;
}

function emit(run: Run, rule: AnyRule, object: KubeObject, report: Report<Record<string, string>>): void {
  const resource: ObjectRef = report.resource ?? run.orphans.ownerRefOf(object) ?? refOf(object);
  const fingerprint = fingerprintOf({
    clusterId: run.snapshot.cluster.id,
    ruleId: rule.id,
    kind: resource.kind,
    namespace: resource.namespace,
    name: resource.name,
    container: report.container,
    key: report.key ?? report.messageId,
  });
  if (run.findings.has(fingerprint)) return;
  const base = findingOf(run, rule, report, resource, fingerprint);
  const subject = report.resource ? run.index.get(resource.kind, resource.namespace, resource.name) : object;
  const location = subject ? run.index.locationOf(subject) : undefined;
  if (location) base.location = location;
  const gitops = subject ? gitOpsSourceOf(run.index, subject) : undefined;
  if (gitops) base.gitops = gitops;
  let suppression;
  for (const matcher of run.matchers) {
    suppression = matcher.match(base, subject);
    if (suppression) break;
  }
  run.findings.set(fingerprint, suppression ? { ...base, status: 'SUPPRESSED', suppression } : { ...base, status: 'OPEN' });
}

/** One rule on one object; a rule that throws becomes an engine-error finding and the run goes on. */
function runOne(run: Run, rule: AnyRule, object: KubeObject): void {
  try {
    rule.check(object, { snapshot: run.index, report: (report) => emit(run, rule, object, report), options: run.ruleOptions.get(rule.id) });
  } catch (error) {
    const ref = refOf(object);
    emit(run, engineErrorRule, object, {
      messageId: 'failed',
      data: { rule: rule.id, error: errorMessage(error) },
      path: '',
      key: rule.id,
      resource: ref,
      // Tells reconcile which rule's findings on this object went unchecked (see failedEvaluations).
      details: { rule: rule.id },
    });
  }
}

/** A rule over every object of each kind it targets (the cluster and the snapshot are one object each). */
function evaluateRule(run: Run, rule: AnyRule, skipped: RuleSkip[]): void {
  for (const target of rule.meta.targets) {
    if (target === clusterTarget) {
      if (run.snapshot.clusterInfo) runOne(run, rule, clusterObject(run.snapshot));
      else skipped.push({ ruleId: rule.id, reason: 'needs EKS cluster facts' });
    } else if (target === snapshotTarget) {
      runOne(run, rule, snapshotObject(run.snapshot));
    } else {
      for (const object of evaluableOf(run, target)) runOne(run, rule, object);
    }
  }
}

export function runRules(snapshot: Snapshot, rules: readonly AnyRule[], options: RunOptions = {}): RunResult {
  const run = startRun(snapshot, rules, options);
  const skipped: RuleSkip[] = [];
  for (const rule of rules) {
    const reason = skipReasonOf(rule, run.settings[rule.id], snapshot);
    if (reason === undefined) evaluateRule(run, rule, skipped);
    else skipped.push({ ruleId: rule.id, reason });
  }
  let evaluated = 0;
  for (const objects of run.evaluable.values()) evaluated += objects.length;
  return { findings: [...run.findings.values()].sort(compareFindings), skipped, evaluated };
}

const severityOrder: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** Most severe first, then by rule, then by resource: a stable order for reports and golden files. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityOrder[a.severity] - severityOrder[b.severity] ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.resource.kind.localeCompare(b.resource.kind) ||
    (a.resource.namespace ?? '').localeCompare(b.resource.namespace ?? '') ||
    a.resource.name.localeCompare(b.resource.name) ||
    (a.resource.container ?? '').localeCompare(b.resource.container ?? '') ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}

/** Stands in for a rule that threw, so its failure is a visible finding and not a crash. */
export const engineErrorRule: AnyRule = {
  id: engineErrorRuleId,
  meta: {
    title: 'A rule failed on an object',
    description: 'Periscope could not evaluate a rule on this object; the other rules still ran.',
    severity: 'low',
    domain: 'cluster',
    targets: [],
    frameworks: {},
    remediation: 'Report the rule and the object shape to the Periscope maintainers; the object may be malformed.',
    messages: { failed: 'Rule {{rule}} could not evaluate this object: {{error}}' },
  },
  check() {},
};

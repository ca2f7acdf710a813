// The shape of a rule: metadata beside a pure check, messages with typed {{placeholders}}.
import type * as z from 'zod';
import type { Fix, FrameworkIds, Severity } from '../model/finding.ts';
import type { KubeObject, ObjectRef } from '../model/kube.ts';
import type { SnapshotIndex } from './snapshot-index.ts';

export const domains = [
  'workload',
  'rbac',
  'network',
  'exposure',
  'cluster',
  'supply-chain',
  'secrets',
  'policy',
  'path',
] as const;
export type Domain = (typeof domains)[number];

/** Pseudo-kind of a rule that judges the EKS cluster itself; it runs once when EKS facts are present. */
export const clusterTarget = 'EKSCluster';
/** Pseudo-kind of a rule that judges the snapshot as a whole; it runs once. */
export const snapshotTarget = 'Snapshot';

/** The placeholder names of a message: `'{{a}} and {{b}}'` → `'a' | 'b'`. */
export type Placeholders<S extends string> = S extends `${string}{{${infer P}}}${infer Rest}`
  ? P | Placeholders<Rest>
  : never;

export type MessageData<S extends string> = string extends S
  ? Record<string, string | number>
  : [Placeholders<S>] extends [never]
  ? Record<string, never> | undefined
  : { [P in Placeholders<S>]: string | number };

interface ReportBase {
  /** Dotted JSON path inside the owning object. */
  path: string;
  fix?: Fix;
  /** Container the finding is about; it becomes part of the resource and the fingerprint. */
  container?: string;
  /** Distinguishes several findings of one rule on one container (a capability, an env var name). */
  key?: string;
  /** Overrides the rule's severity for this finding (an attack path's combined severity, say). */
  severity?: Severity;
  /** The object the finding is about, when not the one being checked (cross-object rules). */
  resource?: ObjectRef;
  details?: Record<string, unknown>;
}

export type Report<M extends Record<string, string>> = {
  [K in keyof M & string]: ReportBase & { messageId: K; data?: MessageData<M[K]> };
}[keyof M & string];

/** The options a rule's check receives: its schema's output (defaults filled in), or undefined without a schema. */
export type OptionsOf<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RuleContext<M extends Record<string, string>, O = undefined> {
  snapshot: SnapshotIndex;
  report(report: Report<M>): void;
  /** The rule's options from the run's rule settings, validated against meta.options, defaults filled in. */
  options: O;
}

export interface RuleMeta<M extends Record<string, string>, S extends z.ZodType | undefined = z.ZodType | undefined> {
  title: string;
  description: string;
  severity: Severity;
  domain: Domain;
  /** Kinds the rule checks (`Deployment`...), or `EKSCluster` / `Snapshot`. */
  targets: readonly string[];
  /** Kinds the rule reads from ctx.snapshot beyond its targets (the Services in front of a workload, the RoleBindings
   * of its service account, `Namespace` for ctx.snapshot.namespaces()). A stored finding of the rule resolves only
   * when its own kind and every kind the rule reads was completely listed; test/rules/index.reads.test.ts checks the list. */
  reads?: readonly string[];
  frameworks: FrameworkIds;
  /** What to do about it, in a sentence or two. */
  remediation: string;
  messages: M;
  /** What the rule needs beyond the objects of its target kinds; when missing it does not run and says so:
   * `clusterInfo` (EKS facts), or `option:<name>` (a rule setting the user must give, such as a registry list). */
  requires?: readonly string[];
  /** Options the user may set per rule (`rules.<id>.options` in --config or the CDK config): a zod schema with
   * defaults, preferably a strictObject so a misspelt option is an error. The check gets them as ctx.options. */
  options?: S;
}

export interface Rule<M extends Record<string, string> = Record<string, string>, S extends z.ZodType | undefined = undefined> {
  id: string;
  meta: RuleMeta<M, S>;
  check(object: KubeObject, ctx: RuleContext<M, OptionsOf<S>>): void;
}

/** A rule whose messages and options types are erased, as the registry and engine hold them. Callers outside the
 * engine (namespace-pss-enforce-missing judging PSS readiness, benchmarks) may leave options out; the engine always
 * passes them. */
export interface AnyRule {
  id: string;
  meta: RuleMeta<Record<string, string>>;
  check(
    object: KubeObject,
    ctx: Omit<RuleContext<Record<string, string>, unknown>, 'options'> & { options?: unknown },
  ): void;
}

export function defineRule<const M extends Record<string, string>, S extends z.ZodType | undefined = undefined>(
  rule: Rule<M, S>,
): AnyRule {
  return rule;
}

/** `'{{a}} x'` with `{ a: 1 }` → `'1 x'`; an unknown placeholder stays as written. */
export function formatMessage(template: string, data: Record<string, unknown> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    data && data[name] !== undefined ? placeholderText(data[name]) : whole,
  );
}

function placeholderText(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** A short list of names for a message: the first few, then a count (`a, b, c, d, e and 3 more`), or `none`. */
export function listNames(names: readonly string[], none: string, max = 5): string {
  if (names.length === 0) return none;
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

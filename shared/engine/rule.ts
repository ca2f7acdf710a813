// The shape of a rule: metadata beside a pure check, messages with typed {{placeholders}}.
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

export interface RuleContext<M extends Record<string, string>> {
  snapshot: SnapshotIndex;
  report(report: Report<M>): void;
}

export interface RuleMeta<M extends Record<string, string>> {
  title: string;
  description: string;
  severity: Severity;
  domain: Domain;
  /** Kinds the rule checks (`Deployment`...), or `EKSCluster` / `Snapshot`. */
  targets: readonly string[];
  frameworks: FrameworkIds;
  /** What to do about it, in a sentence or two. */
  remediation: string;
  messages: M;
  /** What the rule needs beyond the objects of its target kinds; when missing it does not run and says so. */
  requires?: readonly ('clusterInfo' | string)[];
}

export interface Rule<M extends Record<string, string> = Record<string, string>> {
  id: string;
  meta: RuleMeta<M>;
  check(object: KubeObject, ctx: RuleContext<M>): void;
}

/** A rule whose messages type is erased, as the registry and engine hold them. */
export type AnyRule = Rule<Record<string, string>>;

export function defineRule<const M extends Record<string, string>>(rule: Rule<M>): AnyRule {
  return rule as unknown as AnyRule;
}

/** `'{{a}} x'` with `{ a: 1 }` → `'1 x'`; an unknown placeholder stays as written. */
export function formatMessage(template: string, data: Record<string, unknown> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    data && data[name] !== undefined ? String(data[name]) : whole,
  );
}

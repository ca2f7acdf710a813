// Which grants the RBAC rules alert on, per binding and subject: the alerting policy in one place.
//
// Policy (documented in docs by the rules' descriptions):
// 1. Built-in grants (isBuiltInBinding) are never alerted: they are inherent to Kubernetes or EKS.
// 2. Grants to system:anonymous, system:unauthenticated and system:authenticated belong to rbac-public-access
//    alone (one critical finding, not one per risk class).
// 3. Cluster-wide power is alerted for every subject. Namespace-scoped power is alerted for service accounts
//    (a token a compromised pod hands over) and the system:serviceaccounts* groups; for human users and groups it
//    is the intended delegation model (`edit` or `admin` on a team's namespace). What such a grant really means —
//    it can run as, impersonate or mint tokens for any service account of that namespace — is judged by
//    rbac-namespace-escalation, which alerts when one of those accounts holds more than the namespace.
// 4. Within one binding and subject, cluster-admin / namespace-admin stand for every other class.
import { fix, removeOp } from '../engine/fix.ts';
import type { Report, RuleContext } from '../engine/rule.ts';
import { nameOf, namespaceOf } from '../engine/snapshot-index.ts';
import type { KubeObject } from '../model/kube.ts';
import { analyzeRbac, summarizeRisks, type RiskHit } from './analysis.ts';
import { bindingKey, describeScope, type BindingRef, type Grant } from './grants.ts';
import { dominantClasses, riskClassDefinitions, type RiskClass } from './risk.ts';
import { allServiceAccountsGroup, formatSubject, isPublicSubject, subjectKey, type Subject } from './subjects.ts';

export interface SubjectRisk {
  subject: Subject;
  /** Indexes of the subject in the binding's `subjects` (a subject may be listed twice). */
  subjectIndexes: number[];
  hits: RiskHit[];
}

function namespacePowerAlerts(subject: Subject): boolean {
  return subject.kind === 'ServiceAccount' || (subject.kind === 'Group' && subject.name.startsWith(allServiceAccountsGroup));
}

/** The alertable risks a binding grants, per subject (policy above), dominant classes standing for the rest. */
function alertableRisks(grants: readonly Grant[]): SubjectRisk[] {
  const bySubject = new Map<string, { subject: Subject; indexes: Set<number>; grants: Grant[] }>();
  for (const grant of grants) {
    if (grant.builtIn || isPublicSubject(grant.subject)) continue;
    if (grant.scope.type !== 'cluster' && !namespacePowerAlerts(grant.subject)) continue;
    const key = subjectKey(grant.subject);
    const entry = bySubject.get(key) ?? { subject: grant.subject, indexes: new Set<number>(), grants: [] };
    if (grant.subjectIndex !== undefined) entry.indexes.add(grant.subjectIndex);
    entry.grants.push(grant);
    bySubject.set(key, entry);
  }
  const out: SubjectRisk[] = [];
  for (const { subject, indexes, grants: list } of bySubject.values()) {
    let hits = summarizeRisks(list);
    if (hits.some((h) => dominantClasses.has(h.riskClass))) hits = hits.filter((h) => dominantClasses.has(h.riskClass));
    if (hits.length > 0) out.push({ subject, subjectIndexes: [...indexes].sort((a, b) => a - b), hits });
  }
  return out;
}

/** What a rule's report about one hit says and carries. */
function hitReportData(binding: BindingRef, subject: Subject, hit: RiskHit): { data: { subject: string; power: string; scope: string; role: string }; details: Record<string, unknown> } {
  const first = hit.grants[0]!;
  const scope = first.scope.type === 'cluster' ? 'cluster-wide' : `in ${describeScope(first.scope)}`;
  const role = `${first.role.kind} ${first.role.name}`;
  return {
    data: { subject: formatSubject(subject), power: riskClassDefinitions[hit.riskClass].power, scope, role },
    details: {
      riskClass: hit.riskClass,
      subject,
      binding: { ...binding, key: bindingKey(binding) },
      role: first.role,
      scope: first.scope,
      rules: hit.grants.map((g) => ({ role: g.ruleSource.role, index: g.ruleSource.index, rule: g.rule })),
    },
  };
}

function isRiskClassIn(classes: readonly RiskClass[], hit: RiskHit): boolean {
  return classes.includes(hit.riskClass);
}

/** The messages every binding-risk rule uses. */
export const bindingRiskMessages = {
  grant: '{{subject}} can {{power}} {{scope}}, through {{role}}.',
} as const;

/** The check of a rule that alerts on some risk classes of each RoleBinding / ClusterRoleBinding: one finding
 * per binding, subject and class, on the binding (where the fix goes), with a suggestion that removes the subject. */
export function checkBindingRisks(classes: readonly RiskClass[]) {
  return (object: KubeObject, ctx: RuleContext<typeof bindingRiskMessages>): void => {
    const binding = bindingRefOf(object);
    if (!binding) return;
    for (const { subject, subjectIndexes, hits } of alertableRisks(analyzeRbac(ctx.snapshot).grantsOfBinding(binding))) {
      for (const hit of hits) {
        if (!isRiskClassIn(classes, hit)) continue;
        const { data, details } = hitReportData(binding, subject, hit);
        const report: Report<typeof bindingRiskMessages> = {
          messageId: 'grant',
          data,
          details,
          severity: hit.severity,
          key: `${subjectKey(subject)}|${hit.riskClass}`,
          path: `subjects[${subjectIndexes[0] ?? 0}]`,
        };
        if (subjectIndexes.length > 0) report.fix = removeSubjectsFix(object, subject, subjectIndexes);
        ctx.report(report);
      }
    }
  };
}

/** The BindingRef of a RoleBinding or ClusterRoleBinding object. */
export function bindingRefOf(object: KubeObject): BindingRef | undefined {
  if (object.kind === 'ClusterRoleBinding') return { kind: 'ClusterRoleBinding', name: nameOf(object) };
  if (object.kind === 'RoleBinding') return { kind: 'RoleBinding', namespace: namespaceOf(object) ?? 'default', name: nameOf(object) };
  return undefined;
}

export const bindingKinds = ['ClusterRoleBinding', 'RoleBinding'] as const;
/** What a binding rule reads besides the bindings (its meta.reads): the roles they grant, and aws-auth for the subjects
 * IAM identities map to. */
export const bindingRiskReads = ['ClusterRole', 'Role', 'ConfigMap'] as const;

/** Remove-the-subject suggestion for a binding (indexes removed from the last, so earlier ones stay valid). */
export function removeSubjectsFix(object: KubeObject, subject: Subject, subjectIndexes: readonly number[]) {
  return fix(
    `Remove ${formatSubject(subject)} from ${String(object.kind)} ${nameOf(object)}`,
    [...subjectIndexes].sort((a, b) => b - a).map((i) => removeOp(['subjects', i])),
  );
}

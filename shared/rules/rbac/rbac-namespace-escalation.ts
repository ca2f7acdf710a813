// A namespace grant that lets its holder act as the namespace's service accounts is worth what the most powerful
// of those accounts holds beyond the namespace.
import { defineRule, nameOf, namespaceOf, type SnapshotIndex } from '../../engine/index.ts';
import {
  analyzeRbac,
  bindingKinds,
  bindingRefOf,
  formatSubject,
  isPublicSubject,
  riskClassDefinitions,
  serviceAccountSubject,
  subjectKey,
  summarizeRisks,
  type Grant,
  type RiskClass,
  type Subject,
  bindingRiskReads,
} from '../../rbac/index.ts';
import { severityRank } from '../../model/finding.ts';

/** Namespace powers that let a subject act as any service account of the namespace. */
const actAsAccounts: Partial<Record<RiskClass, string>> = {
  'namespace-admin': 'owns the namespace',
  'create-pods': 'can create pods that run as it',
  'impersonate-serviceaccounts': 'can impersonate it',
  'serviceaccount-token': 'can mint its tokens',
};

const accountsCache = new WeakMap<SnapshotIndex, Map<string, string[]>>();

/** Service-account names per namespace, sorted: those listed (a ServiceAccount without a namespace counts as
 * `default`) and those RBAC names as subjects. Worked out once per snapshot, not once per RoleBinding. */
function serviceAccountsByNamespace(index: SnapshotIndex): Map<string, string[]> {
  let sorted = accountsCache.get(index);
  if (sorted) return sorted;
  const byNamespace = new Map<string, Set<string>>();
  const add = (namespace: string, name: string): void => {
    let names = byNamespace.get(namespace);
    if (!names) byNamespace.set(namespace, (names = new Set()));
    names.add(name);
  };
  for (const account of index.all('ServiceAccount')) add(namespaceOf(account) ?? 'default', nameOf(account));
  for (const subject of analyzeRbac(index).subjects()) {
    if (subject.kind === 'ServiceAccount' && subject.namespace !== undefined) add(subject.namespace, subject.name);
  }
  sorted = new Map([...byNamespace].map(([namespace, names]) => [namespace, [...names].sort()]));
  accountsCache.set(index, sorted);
  return sorted;
}

export default defineRule({
  id: 'rbac-namespace-escalation',
  meta: {
    title: 'Namespace access reaches a more powerful service account',
    description:
      'Creating pods, impersonating service accounts or minting their tokens in a namespace (the `edit` and `admin` roles do all three) lets a user act as every service account of that namespace. When one of them holds cluster-wide power, the namespace grant is that power. Namespace grants to people are otherwise the normal delegation model and not alerted on.',
    severity: 'high',
    domain: 'rbac',
    targets: bindingKinds,
    reads: [...bindingRiskReads, 'ServiceAccount'],
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.4', '4.1.8'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Move the powerful service account (and its workload) to a namespace of its own that only its operators can write to, or narrow the user\'s role so it cannot create pods or impersonate there.',
    messages: {
      escalation: '{{subject}} {{how}} service account {{account}} in namespace {{namespace}}, which can {{power}} cluster-wide.',
    },
  },
  check(object, ctx) {
    const binding = bindingRefOf(object);
    if (!binding || binding.kind !== 'RoleBinding') return;
    const rbac = analyzeRbac(ctx.snapshot);
    const namespace = binding.namespace ?? 'default';
    const bySubject = new Map<string, { subject: Subject; grants: Grant[] }>();
    for (const grant of rbac.grantsOfBinding(binding)) {
      if (grant.builtIn || grant.subject.kind === 'ServiceAccount' || isPublicSubject(grant.subject)) continue;
      const key = subjectKey(grant.subject);
      const entry = bySubject.get(key) ?? { subject: grant.subject, grants: [] };
      entry.grants.push(grant);
      bySubject.set(key, entry);
    }
    if (bySubject.size === 0) return;
    const accounts = serviceAccountsByNamespace(ctx.snapshot).get(namespace) ?? [];
    const powerful = accounts
      .map((account) => ({ account, hits: rbac.riskClassesOf(serviceAccountSubject(namespace, account)).filter((h) => h.scope === 'cluster' && h.grants.some((g) => !isPublicSubject(g.subject))) }))
      .filter((a) => a.hits.length > 0)
      .sort((a, b) => severityRank(b.hits[0]!.severity) - severityRank(a.hits[0]!.severity));
    if (powerful.length === 0) return;
    const target = powerful[0]!;
    for (const { subject, grants } of bySubject.values()) {
      const how = summarizeRisks(grants).map((h) => actAsAccounts[h.riskClass]).find((text) => text !== undefined);
      if (!how) continue;
      const index = grants.find((g) => g.subjectIndex !== undefined)?.subjectIndex ?? 0;
      ctx.report({
        messageId: 'escalation',
        data: { subject: formatSubject(subject), how, account: target.account, namespace, power: riskClassDefinitions[target.hits[0]!.riskClass].power },
        path: `subjects[${index}]`,
        key: subjectKey(subject),
        severity: target.hits[0]!.severity,
        details: {
          subject,
          binding,
          serviceAccounts: powerful.map((p) => ({ name: p.account, riskClasses: p.hits.map((h) => ({ riskClass: h.riskClass, severity: h.severity, grantedBy: h.grantedBy })) })),
        },
      });
    }
  },
});

// Permissions granted to system:anonymous, system:unauthenticated or system:authenticated reach everyone.
import { defineRule } from '../../engine/index.ts';
import {
  analyzeRbac,
  bindingKinds,
  bindingRefOf,
  formatSubject,
  isPublicSubject,
  removeSubjectsFix,
  riskClassDefinitions,
  subjectKey,
  summarizeRisks,
  type Grant,
  type PolicyRule,
  bindingRiskReads,
} from '../../rbac/index.ts';

const discoveryUrls = new Set(['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/readyz', '/version', '/version/', '/openapi', '/openapi/*', '/.well-known/openid-configuration', '/openid/v1/jwks']);
const selfReviews = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews']);

/** The bootstrap discovery, health and self-review permissions every cluster grants to everyone. */
function isTrivial(rule: PolicyRule): boolean {
  if (rule.nonResourceURLs.length > 0 && rule.resources.length === 0) {
    return rule.verbs.every((v) => v === 'get') && rule.nonResourceURLs.every((url) => discoveryUrls.has(url));
  }
  return rule.verbs.every((v) => v === 'create') && rule.resources.length > 0 && rule.resources.every((r) => selfReviews.has(r));
}

function describeRule(rule: PolicyRule): string {
  const what = rule.resources.length > 0 ? rule.resources.join(', ') : rule.nonResourceURLs.join(', ');
  return `${rule.verbs.join(', ')} ${what}`;
}

export default defineRule({
  id: 'rbac-public-access',
  meta: {
    title: 'Permissions granted to anonymous or all authenticated callers',
    description:
      'A binding to system:anonymous or system:unauthenticated gives its role to anyone who can reach the API server; one to system:authenticated gives it to every authenticated caller — on EKS every mapped IAM principal and every service account of every namespace. Beyond discovery and self-review, any such grant is critical.',
    severity: 'critical',
    domain: 'rbac',
    targets: bindingKinds,
    reads: bindingRiskReads,
    frameworks: { 'owasp-k8s-2022': ['K03', 'K06'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Bind the role to the specific users, groups or service accounts that need it; keep system:anonymous, system:unauthenticated and system:authenticated to the bootstrap discovery roles.',
    messages: {
      public: '{{subject}} ({{audience}}) can {{power}}, through {{role}}.',
    },
  },
  check(object, ctx) {
    const binding = bindingRefOf(object);
    if (!binding) return;
    const bySubject = new Map<string, Grant[]>();
    for (const grant of analyzeRbac(ctx.snapshot).grantsOfBinding(binding)) {
      if (!isPublicSubject(grant.subject) || isTrivial(grant.rule)) continue;
      const key = subjectKey(grant.subject);
      bySubject.set(key, [...(bySubject.get(key) ?? []), grant]);
    }
    for (const [key, grants] of bySubject) {
      const subject = grants[0]!.subject;
      const indexes = [...new Set(grants.map((g) => g.subjectIndex).filter((i): i is number => i !== undefined))];
      const hits = summarizeRisks(grants);
      const power = hits.length > 0 ? hits.map((h) => riskClassDefinitions[h.riskClass].power).join('; ') : describeRule(grants[0]!.rule);
      const audience = subject.name === 'system:authenticated' ? 'every authenticated caller' : 'anyone, without credentials';
      ctx.report({
        messageId: 'public',
        data: { subject: formatSubject(subject), audience, power, role: `${grants[0]!.role.kind} ${grants[0]!.role.name}` },
        path: `subjects[${indexes[0] ?? 0}]`,
        key,
        details: { subject, binding, role: grants[0]!.role, riskClasses: hits.map((h) => h.riskClass), rules: grants.map((g) => g.rule) },
        fix: removeSubjectsFix(object, subject, indexes),
      });
    }
  },
});

// Wildcards in a role's rules grant every verb or resource, including the ones added to the API later.
import { defineRule, labelsOf, nameOf } from '../../engine/index.ts';
import { isFullAccessRule, rulesOf } from '../../rbac/index.ts';

export default defineRule({
  id: 'rbac-wildcard',
  meta: {
    title: 'Wildcard in a Role or ClusterRole',
    description:
      'A `*` in verbs or resources grants everything of that kind, today and whatever the API (or a CRD) adds tomorrow. `*` verbs on `*` resources in `*` groups is cluster-admin under another name. Judged on the role itself, bound or not; the bootstrap roles (cluster-admin, system:*) and aggregated roles (whose rules are copies) are not.',
    severity: 'medium',
    domain: 'rbac',
    targets: ['Role', 'ClusterRole'],
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.3'], 'nsa-cisa': ['authentication-authorization'] },
    remediation: 'List the verbs and resources the role needs instead of `*`.',
    messages: {
      everything: 'Rule {{index}} of {{kind}} {{name}} grants every verb on every resource: cluster-admin in all but name.',
      verbs: 'Rule {{index}} of {{kind}} {{name}} grants every verb on {{resources}}.',
      resources: 'Rule {{index}} of {{kind}} {{name}} grants {{verbs}} on every resource of {{groups}}.',
    },
  },
  check(object, ctx) {
    const name = nameOf(object);
    if (labelsOf(object)['kubernetes.io/bootstrapping'] === 'rbac-defaults' || name.startsWith('system:') || name.startsWith('eks:')) return;
    if (object.aggregationRule !== undefined && object.aggregationRule !== null) return;
    const kind = String(object.kind);
    rulesOf(object).forEach((rule, index) => {
      const path = `rules[${index}]`;
      const key = String(index);
      if (isFullAccessRule(rule)) {
        ctx.report({ messageId: 'everything', data: { index, kind, name }, path, key, severity: 'high' });
      } else if (rule.verbs.includes('*') && rule.resources.length > 0) {
        ctx.report({ messageId: 'verbs', data: { index, kind, name, resources: rule.resources.join(', ') }, path, key });
      } else if (rule.resources.includes('*')) {
        ctx.report({ messageId: 'resources', data: { index, kind, name, verbs: rule.verbs.join(', '), groups: rule.apiGroups.map((g) => (g === '' ? 'core' : g)).join(', ') }, path, key });
      }
    });
  },
});

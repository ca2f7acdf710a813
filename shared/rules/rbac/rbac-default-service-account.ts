// A binding to a namespace's default service account hands its permissions to every pod that names no account.
import { defineRule } from '../../engine/index.ts';
import { bindingKinds, bindingRefOf, isBuiltInBinding, removeSubjectsFix, subjectsOf } from '../../rbac/index.ts';

export default defineRule({
  id: 'rbac-default-service-account',
  meta: {
    title: 'Default service account holds a binding',
    description:
      'Every pod that does not name a service account runs as its namespace\'s "default" account. A role bound to that account is therefore given to every such pod, present and future.',
    severity: 'medium',
    domain: 'rbac',
    targets: bindingKinds,
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.5'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Create a dedicated service account for the workload that needs the role, bind the role to it, and set serviceAccountName on that workload.',
    messages: {
      bound: 'The default service account of namespace {{namespace}} is bound to {{role}}: every pod there that names no service account gets it.',
    },
  },
  check(object, ctx) {
    const binding = bindingRefOf(object);
    if (!binding) return;
    const roleRef = object.roleRef as { kind?: unknown; name?: unknown } | undefined;
    const roleName = typeof roleRef?.name === 'string' ? roleRef.name : '';
    const subjects = subjectsOf(object);
    if (isBuiltInBinding(object, roleName, subjects.map((s) => s.subject))) return;
    const role = `${typeof roleRef?.kind === 'string' ? roleRef.kind : 'role'} ${roleName}`;
    const defaults = subjects.filter(({ subject }) => subject.kind === 'ServiceAccount' && subject.name === 'default');
    const byNamespace = new Map<string, number[]>();
    for (const { subject, index } of defaults) byNamespace.set(subject.namespace ?? '', [...(byNamespace.get(subject.namespace ?? '') ?? []), index]);
    for (const [namespace, indexes] of byNamespace) {
      ctx.report({
        messageId: 'bound',
        data: { namespace, role },
        path: `subjects[${indexes[0]}]`,
        key: namespace,
        details: { subject: { kind: 'ServiceAccount', namespace, name: 'default' }, binding },
        fix: removeSubjectsFix(object, { kind: 'ServiceAccount', namespace, name: 'default' }, indexes),
      });
    }
  },
});

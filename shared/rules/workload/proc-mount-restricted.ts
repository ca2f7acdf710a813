// Restricted pods keep the default masked /proc even inside their own user namespace.
import { defineRule, fix, setOps } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { containerLabel, podSecurityOf, unmaskedProcMounts, usesUserNamespace } from '../../facts/pod-security.ts';

export default defineRule({
  id: 'proc-mount-restricted',
  meta: {
    title: 'Container unmasks /proc in a user-namespaced pod',
    description:
      'A pod with its own user namespace (hostUsers: false) may unmask /proc at the baseline level, but the restricted level still requires the Default /proc mount.',
    severity: 'low',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      pss: ['restricted/procMount_restricted'],
      'nsa-cisa': ['pod-security'],
    },
    remediation: 'Remove `securityContext.procMount` or set it to Default.',
    messages: {
      procMount: 'Container "{{container}}" sets procMount to "{{procMount}}" (allowed only below the restricted level).',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    // Without a user namespace the proc-mount rule reports it (and maps to this check as well).
    if (!security || !usesUserNamespace(security.template.spec)) return;
    for (const { scope, value, place } of unmaskedProcMounts(security)) {
      ctx.report({
        messageId: 'procMount',
        data: { container: containerLabel(scope.ref), procMount: value },
        container: scope.ref.name,
        path: place.path,
        fix: fix('Set procMount to Default', setOps(object, place.segments, 'Default')),
      });
    }
  },
});

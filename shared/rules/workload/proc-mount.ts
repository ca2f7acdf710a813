// An Unmasked /proc exposes kernel interfaces the runtime normally hides or makes read-only.
import { defineRule, fix, setOps } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { containerLabel, podSecurityOf, unmaskedProcMounts, usesUserNamespace } from '../../facts/pod-security.ts';

export default defineRule({
  id: 'proc-mount',
  meta: {
    title: 'Container unmasks /proc',
    description:
      "With procMount other than Default, the container sees /proc without the runtime's masked and read-only paths: kernel settings and host information become readable or writable.",
    severity: 'high',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      // Outside a user namespace this breaks the restricted procMount check too; it is reported once, here.
      pss: ['baseline/procMount', 'restricted/procMount_restricted'],
      'nsa-cisa': ['pod-security'],
    },
    remediation:
      'Remove `securityContext.procMount` or set it to Default. An unmasked /proc is only acceptable in a pod with its own user namespace (`hostUsers: false`), and even then not at the restricted level.',
    messages: {
      procMount: 'Container "{{container}}" sets procMount to "{{procMount}}" without a user namespace.',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    // Since v1.35 baseline allows any procMount in a pod with its own user namespace.
    if (!security || usesUserNamespace(security.template.spec)) return;
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

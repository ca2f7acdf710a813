// Capabilities beyond the runtime's default set (SYS_ADMIN, NET_ADMIN, SYS_PTRACE...) are known escape routes.
import { arrayField, defineRule, fix, recordField, removeOp } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { containerLabel, defaultCapabilities, placeAt, podSecurityOf } from '../../facts/pod-security.ts';

export default defineRule({
  id: 'capabilities-baseline',
  meta: {
    title: 'Container adds a capability outside the default set',
    description:
      'Adding a Linux capability beyond the container runtime default set (for example SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE, SYS_MODULE) gives the container kernel powers that lead to the node.',
    severity: 'high',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      // Such a capability breaks the restricted level too; it is reported once, here.
      pss: ['baseline/capabilities_baseline', 'restricted/capabilities_restricted'],
      'nsa-cisa': ['pod-security'],
    },
    remediation:
      'Remove the capability from `securityContext.capabilities.add`; only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT may be added (names without the CAP_ prefix, in capitals).',
    messages: {
      capability: 'Container "{{container}}" adds capability {{capability}}, outside the default set.',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    if (!security) return;
    for (const { ref, context, segments } of security.containers) {
      arrayField(recordField(context, 'capabilities'), 'add').forEach((capability, index) => {
        if (typeof capability !== 'string' || defaultCapabilities.has(capability)) return;
        const place = placeAt(segments, 'capabilities', 'add', index);
        ctx.report({
          messageId: 'capability',
          data: { container: containerLabel(ref), capability },
          container: ref.name,
          key: `add:${capability}`,
          path: place.path,
          fix: fix(`Stop adding ${capability}`, [removeOp(place.segments)]),
        });
      });
    }
  },
});

// Restricted containers drop every capability and may add back only NET_BIND_SERVICE.
import { appendOps, arrayField, defineRule, fix, recordField, removeOp } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import {
  containerLabel,
  defaultCapabilities,
  isWindowsPod,
  placeAt,
  podSecurityOf,
  restrictedAddableCapability,
} from '../../facts/pod-security.ts';

export default defineRule({
  id: 'capabilities-restricted',
  meta: {
    title: 'Container does not drop all capabilities',
    description:
      'Even the default capability set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW...) is more than most containers need; the restricted level requires dropping ALL and adding back at most NET_BIND_SERVICE.',
    severity: 'medium',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      pss: ['restricted/capabilities_restricted'],
      'nsa-cisa': ['pod-security'],
    },
    remediation:
      'Set `securityContext.capabilities.drop: ["ALL"]` on every container and add back only NET_BIND_SERVICE when the container binds a port below 1024. Windows pods are exempt.',
    messages: {
      dropAll: 'Container "{{container}}" does not drop ALL capabilities.',
      add: 'Container "{{container}}" adds capability {{capability}}; only NET_BIND_SERVICE may be added back.',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    if (!security || isWindowsPod(security.template.spec)) return;
    for (const { ref, context, segments } of security.containers) {
      const capabilities = recordField(context, 'capabilities');
      if (!arrayField(capabilities, 'drop').includes('ALL')) {
        const drop = placeAt(segments, 'capabilities', 'drop');
        ctx.report({
          messageId: 'dropAll',
          data: { container: containerLabel(ref) },
          container: ref.name,
          path: drop.path,
          fix: fix('Drop ALL capabilities', appendOps(object, drop.segments, 'ALL')),
        });
      }
      arrayField(capabilities, 'add').forEach((capability, index) => {
        // Capabilities outside the default set are reported by capabilities-baseline, which maps to this check too.
        if (typeof capability !== 'string' || capability === restrictedAddableCapability) return;
        if (!defaultCapabilities.has(capability)) return;
        const place = placeAt(segments, 'capabilities', 'add', index);
        ctx.report({
          messageId: 'add',
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

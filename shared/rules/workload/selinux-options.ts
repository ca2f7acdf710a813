// Custom SELinux user, role or type labels can lift the confinement the runtime's container_t type provides.
import { defineRule, fix, recordField, removeOp } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { allowedSeLinuxTypes, containerLabel, placeAt, podSecurityOf, type SecurityContextRef } from '../../facts/pod-security.ts';

type LabelField = 'type' | 'user' | 'role';

/** The offending fields of a seLinuxOptions record and their values. */
function badLabels(scope: SecurityContextRef): [LabelField, string][] {
  const options = recordField(scope.context, 'seLinuxOptions');
  if (!options) return [];
  const out: [LabelField, string][] = [];
  for (const field of ['type', 'user', 'role'] as const) {
    const value = options[field];
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const allowed = field === 'type' ? allowedSeLinuxTypes.has(text) && typeof value === 'string' : text === '';
    if (!allowed) out.push([field, text]);
  }
  return out;
}

export default defineRule({
  id: 'selinux-options',
  meta: {
    title: 'Custom SELinux options',
    description:
      'An SELinux user or role, or a type other than the container types, can give a container a domain that is not confined like container_t.',
    severity: 'medium',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      pss: ['baseline/seLinuxOptions'],
      'nsa-cisa': ['pod-security'],
    },
    remediation:
      'Remove `seLinuxOptions.user` and `seLinuxOptions.role`; leave `seLinuxOptions.type` unset or use container_t, container_init_t, container_kvm_t or container_engine_t. The level may be set.',
    messages: {
      pod: 'The pod sets seLinuxOptions.{{field}} to "{{value}}".',
      container: 'Container "{{container}}" sets seLinuxOptions.{{field}} to "{{value}}".',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    if (!security) return;
    for (const [field, value] of badLabels(security.pod)) {
      const place = placeAt(security.pod.segments, 'seLinuxOptions', field);
      ctx.report({
        messageId: 'pod',
        data: { field, value },
        key: `pod:${field}`,
        path: place.path,
        fix: fix(`Remove seLinuxOptions.${field}`, [removeOp(place.segments)]),
      });
    }
    for (const scope of security.containers) {
      for (const [field, value] of badLabels(scope)) {
        const place = placeAt(scope.segments, 'seLinuxOptions', field);
        ctx.report({
          messageId: 'container',
          data: { container: containerLabel(scope.ref), field, value },
          container: scope.ref.name,
          key: `container:${field}`,
          path: place.path,
          fix: fix(`Remove seLinuxOptions.${field}`, [removeOp(place.segments)]),
        });
      }
    }
  },
});

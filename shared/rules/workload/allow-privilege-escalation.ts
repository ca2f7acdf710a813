// Unless allowPrivilegeEscalation is false, a setuid binary or file capability can give a process more than its parent.
import { defineRule, fix, setOps } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { containerLabel, isWindowsPod, placeAt, podSecurityOf } from '../../facts/pod-security.ts';

export default defineRule({
  id: 'allow-privilege-escalation',
  meta: {
    title: 'Container allows privilege escalation',
    description:
      'Without `allowPrivilegeEscalation: false` (no_new_privs), a process in the container can gain privileges through setuid binaries or file capabilities; it is the default when the field is unset.',
    severity: 'medium',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      'cis-eks-1.8': ['4.2.5'],
      pss: ['restricted/allowPrivilegeEscalation'],
      'nsa-cisa': ['pod-security'],
    },
    remediation: 'Set `securityContext.allowPrivilegeEscalation: false` on every container. Windows pods are exempt.',
    messages: {
      allowed: 'Container "{{container}}" sets allowPrivilegeEscalation to true.',
      unset: 'Container "{{container}}" does not set allowPrivilegeEscalation to false.',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    if (!security || isWindowsPod(security.template.spec)) return;
    for (const scope of security.containers) {
      const value = scope.context?.allowPrivilegeEscalation;
      if (value === false) continue;
      const place = placeAt(scope.segments, 'allowPrivilegeEscalation');
      ctx.report({
        messageId: value === true ? 'allowed' : 'unset',
        data: { container: containerLabel(scope.ref) },
        container: scope.ref.name,
        key: 'allowPrivilegeEscalation',
        path: place.path,
        fix: fix('Set allowPrivilegeEscalation to false', setOps(object, place.segments, false)),
      });
    }
  },
});

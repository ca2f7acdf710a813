// An Unconfined seccomp profile opens every system call of the node's kernel to the container.
import { defineRule, fix, recordField, setOps, stringField } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { containerLabel, placeAt, podSecurityOf, type SecurityContextRef } from '../../facts/pod-security.ts';

const runtimeDefault = { type: 'RuntimeDefault' };
const isUnconfined = (scope: SecurityContextRef): boolean =>
  stringField(recordField(scope.context, 'seccompProfile'), 'type') === 'Unconfined';

export default defineRule({
  id: 'seccomp-unconfined',
  meta: {
    title: 'seccomp is explicitly disabled',
    description:
      'seccompProfile.type: Unconfined turns off system-call filtering, so a container can call the kernel interfaces most container escapes rely on.',
    severity: 'medium',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      // An Unconfined profile breaks the restricted seccomp check too; it is reported once, here.
      pss: ['baseline/seccompProfile_baseline', 'restricted/seccompProfile_restricted'],
      'nsa-cisa': ['pod-security'],
    },
    remediation: 'Set `securityContext.seccompProfile.type` to RuntimeDefault (or Localhost with a reviewed profile).',
    messages: {
      pod: 'The pod sets seccompProfile.type to Unconfined.',
      container: 'Container "{{container}}" sets seccompProfile.type to Unconfined.',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    if (!security) return;
    if (isUnconfined(security.pod)) {
      const place = placeAt(security.pod.segments, 'seccompProfile');
      ctx.report({
        messageId: 'pod',
        path: `${place.path}.type`,
        fix: fix('Use the RuntimeDefault seccomp profile', setOps(object, place.segments, runtimeDefault)),
      });
    }
    for (const scope of security.containers) {
      if (!isUnconfined(scope)) continue;
      const place = placeAt(scope.segments, 'seccompProfile');
      ctx.report({
        messageId: 'container',
        data: { container: containerLabel(scope.ref) },
        container: scope.ref.name,
        path: `${place.path}.type`,
        fix: fix('Use the RuntimeDefault seccomp profile', setOps(object, place.segments, runtimeDefault)),
      });
    }
  },
});

// Restricted pods must ask for a seccomp profile: without one most runtimes run containers unconfined.
import { defineRule, fix, recordField, setOps, stringField } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import {
  confinedSeccompTypes,
  containerLabel,
  isWindowsPod,
  placeAt,
  podSecurityOf,
  type SecurityContextRef,
} from '../../facts/pod-security.ts';

const runtimeDefault = { type: 'RuntimeDefault' };

/** The seccomp type a security context sets: undefined when it sets none. */
function seccompTypeOf(scope: SecurityContextRef): string | undefined {
  const profile = recordField(scope.context, 'seccompProfile');
  return profile ? (stringField(profile, 'type') ?? '') : undefined;
}

export default defineRule({
  id: 'seccomp-profile-missing',
  meta: {
    title: 'No seccomp profile',
    description:
      'Unless the pod or the container asks for RuntimeDefault or a Localhost profile, the kubelet runs the container without system-call filtering (the default is Unconfined).',
    severity: 'low',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      pss: ['restricted/seccompProfile_restricted'],
      'nsa-cisa': ['pod-security'],
    },
    remediation:
      'Set `spec.securityContext.seccompProfile.type: RuntimeDefault` on the pod (containers inherit it), or Localhost with a reviewed profile. Windows pods are exempt.',
    messages: {
      missing: 'Container "{{container}}" runs without a seccomp profile (neither it nor the pod sets RuntimeDefault or Localhost).',
      pod: 'The pod sets seccompProfile.type to "{{type}}"; only RuntimeDefault or Localhost are allowed.',
      container: 'Container "{{container}}" sets seccompProfile.type to "{{type}}"; only RuntimeDefault or Localhost are allowed.',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    if (!security || isWindowsPod(security.template.spec)) return;
    const podPlace = placeAt(security.pod.segments, 'seccompProfile');
    const podType = seccompTypeOf(security.pod);
    // Unconfined is reported by seccomp-unconfined, which maps to this check as well.
    if (podType !== undefined && podType !== 'Unconfined' && !confinedSeccompTypes.has(podType)) {
      ctx.report({
        messageId: 'pod',
        data: { type: podType },
        path: `${podPlace.path}.type`,
        fix: fix('Use the RuntimeDefault seccomp profile', setOps(object, podPlace.segments, runtimeDefault)),
      });
    }
    for (const scope of security.containers) {
      const type = seccompTypeOf(scope);
      if (type === undefined) {
        // A container without its own profile inherits the pod's; a bad pod value is reported once, on the pod.
        if (podType !== undefined) continue;
        ctx.report({
          messageId: 'missing',
          data: { container: containerLabel(scope.ref) },
          container: scope.ref.name,
          path: `${scope.path}.seccompProfile`,
          fix: fix('Use the RuntimeDefault seccomp profile for the pod', setOps(object, podPlace.segments, runtimeDefault)),
        });
      } else if (type !== 'Unconfined' && !confinedSeccompTypes.has(type)) {
        const place = placeAt(scope.segments, 'seccompProfile');
        ctx.report({
          messageId: 'container',
          data: { container: containerLabel(scope.ref), type },
          container: scope.ref.name,
          path: `${place.path}.type`,
          fix: fix('Use the RuntimeDefault seccomp profile', setOps(object, place.segments, runtimeDefault)),
        });
      }
    }
  },
});

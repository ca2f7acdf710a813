// Restricted pods must promise to run as a non-root user, so the kubelet refuses an image that would run as root.
import { defineRule, fix, setOps } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { containerLabel, placeAt, podSecurityOf, usesUserNamespace } from '../../facts/pod-security.ts';

export default defineRule({
  id: 'run-as-non-root',
  meta: {
    title: 'Container may run as root',
    description:
      'Without `runAsNonRoot: true` on the pod or the container, the container runs as whatever user the image says, root by default; root in a container is one kernel bug away from root on the node.',
    severity: 'medium',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      pss: ['restricted/runAsNonRoot'],
      'nsa-cisa': ['pod-security'],
    },
    remediation:
      'Set `spec.securityContext.runAsNonRoot: true` on the pod (containers inherit it) and do not set it to false on any container; build the image with a non-root USER. Pods with their own user namespace (`hostUsers: false`) are exempt.',
    messages: {
      pod: 'The pod sets runAsNonRoot to false.',
      container: 'Container "{{container}}" sets runAsNonRoot to false.',
      unset: 'Container "{{container}}" may run as root: neither it nor the pod sets runAsNonRoot to true.',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    // Since v1.35 a pod in its own user namespace may run as (namespaced) root.
    if (!security || usesUserNamespace(security.template.spec)) return;
    const podPlace = placeAt(security.pod.segments, 'runAsNonRoot');
    const podValue = security.pod.context?.runAsNonRoot;
    if (podValue === false) {
      ctx.report({
        messageId: 'pod',
        path: podPlace.path,
        fix: fix('Set runAsNonRoot to true', setOps(object, podPlace.segments, true)),
      });
    }
    for (const scope of security.containers) {
      const value = scope.context?.runAsNonRoot;
      if (value === true) continue;
      if (value === false) {
        const place = placeAt(scope.segments, 'runAsNonRoot');
        ctx.report({
          messageId: 'container',
          data: { container: containerLabel(scope.ref) },
          container: scope.ref.name,
          path: place.path,
          fix: fix('Set runAsNonRoot to true', setOps(object, place.segments, true)),
        });
        continue;
      }
      // Not set on the container: it inherits the pod's value (reported above when false).
      if (podValue === true || podValue === false) continue;
      ctx.report({
        messageId: 'unset',
        data: { container: containerLabel(scope.ref) },
        container: scope.ref.name,
        path: `${scope.path}.runAsNonRoot`,
        fix: fix('Set runAsNonRoot to true for the pod', setOps(object, podPlace.segments, true)),
      });
    }
  },
});

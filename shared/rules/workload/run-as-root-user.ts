// runAsUser: 0 runs the container as root explicitly, whatever the image says.
import { defineRule, fix, removeOp } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { containerLabel, placeAt, podSecurityOf, usesUserNamespace } from '../../facts/pod-security.ts';

export default defineRule({
  id: 'run-as-root-user',
  meta: {
    title: 'Container runs as user 0',
    description:
      'A pod or container with `runAsUser: 0` runs as root; root in a container is one kernel bug or mount away from root on the node.',
    severity: 'medium',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      pss: ['restricted/runAsUser'],
      'nsa-cisa': ['pod-security'],
    },
    remediation:
      'Remove `runAsUser: 0` or set a non-zero UID the image supports, together with `runAsNonRoot: true`. Pods with their own user namespace (`hostUsers: false`) are exempt.',
    messages: {
      pod: 'The pod sets runAsUser to 0 (root).',
      container: 'Container "{{container}}" sets runAsUser to 0 (root).',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    // Since v1.35 a pod in its own user namespace may run as (namespaced) root.
    if (!security || usesUserNamespace(security.template.spec)) return;
    if (security.pod.context?.runAsUser === 0) {
      const place = placeAt(security.pod.segments, 'runAsUser');
      ctx.report({
        messageId: 'pod',
        path: place.path,
        fix: fix('Remove runAsUser: 0', [removeOp(place.segments)]),
      });
    }
    for (const scope of security.containers) {
      if (scope.context?.runAsUser !== 0) continue;
      const place = placeAt(scope.segments, 'runAsUser');
      ctx.report({
        messageId: 'container',
        data: { container: containerLabel(scope.ref) },
        container: scope.ref.name,
        path: place.path,
        fix: fix('Remove runAsUser: 0', [removeOp(place.segments)]),
      });
    }
  },
});

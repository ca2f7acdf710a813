// A probe or lifecycle hook with a host makes the kubelet send requests to any address: a node-side SSRF.
import { defineRule, fix, recordField, removeOp, stringField } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { containerLabel, placeAt, podSecurityOf } from '../../facts/pod-security.ts';

const handlers: readonly (readonly [string, string | undefined])[] = [
  ['livenessProbe', undefined],
  ['readinessProbe', undefined],
  ['startupProbe', undefined],
  ['lifecycle', 'postStart'],
  ['lifecycle', 'preStop'],
];
const actions = ['httpGet', 'tcpSocket'] as const;

export default defineRule({
  id: 'host-probes-lifecycle',
  meta: {
    title: 'Probe or lifecycle hook targets another host',
    description:
      "Probes and lifecycle hooks are run by the kubelet from the node; a `host` field lets a pod author make the node reach any address (its own localhost, the cloud metadata service, other tenants).",
    severity: 'medium',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      pss: ['baseline/hostProbesAndHostLifecycle'],
      'nsa-cisa': ['pod-security'],
    },
    remediation:
      "Remove `host` from httpGet and tcpSocket probes and lifecycle handlers so they target the pod's own IP; use an httpHeaders Host header for virtual hosts.",
    messages: {
      host: 'Container "{{container}}" {{handler}} targets host "{{host}}".',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    if (!security) return;
    for (const { ref } of security.containers) {
      for (const [field, hook] of handlers) {
        const outer = recordField(ref.container, field);
        const handler = hook === undefined ? outer : recordField(outer, hook);
        for (const action of actions) {
          const host = stringField(recordField(handler, action), 'host');
          if (host === undefined || host === '') continue;
          const handlerPath = hook === undefined ? [field, action] : [field, hook, action];
          const place = placeAt(ref.segments, ...handlerPath, 'host');
          ctx.report({
            messageId: 'host',
            data: { container: containerLabel(ref), handler: handlerPath.join('.'), host },
            container: ref.name,
            key: handlerPath.join('.'),
            path: place.path,
            fix: fix(`Remove the host of ${handlerPath.join('.')}`, [removeOp(place.segments)]),
          });
        }
      }
    }
  },
});

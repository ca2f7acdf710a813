// A hostPort binds the node's own interface: it bypasses network policies and pins the pod to nodes with a free port.
import { arrayField, defineRule, fix, removeOp } from '../../engine/index.ts';
import { isRecord, workloadKinds } from '../../model/kube.ts';
import { containerLabel, placeAt, podSecurityOf } from '../../facts/pod-security.ts';

export default defineRule({
  id: 'host-ports',
  meta: {
    title: 'Container binds a host port',
    description:
      "A container port with a hostPort is opened on the node's own network interface, reachable from outside the cluster network and outside network policies.",
    severity: 'medium',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      pss: ['baseline/hostPorts'],
      'nsa-cisa': ['pod-security'],
    },
    remediation: 'Remove `hostPort` from the container ports and expose the port through a Service.',
    messages: {
      hostPort: 'Container "{{container}}" binds port {{hostPort}} on the node (hostPort).',
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    if (!security) return;
    for (const { ref } of security.containers) {
      arrayField(ref.container, 'ports').forEach((port, index) => {
        if (!isRecord(port)) return;
        const hostPort = port.hostPort;
        if (typeof hostPort !== 'number' || hostPort === 0) return;
        const place = placeAt(ref.segments, 'ports', index, 'hostPort');
        ctx.report({
          messageId: 'hostPort',
          data: { container: containerLabel(ref), hostPort },
          container: ref.name,
          key: `ports[${index}]`,
          path: place.path,
          fix: fix(`Remove hostPort ${hostPort}`, [removeOp(place.segments)]),
        });
      });
    }
  },
});

// A NodePort Service opens a port on every node; with nodes in public subnets or with external IPs, that is public.
import { arrayField, defineRule, listNames, stringField } from '../../engine/index.ts';
import { nameOf } from '../../engine/snapshot-index.ts';
import { workloadsSelectedByService } from '../../facts/internet-exposure.ts';
import { workloadLabel } from '../../facts/workloads.ts';
import { workloadKinds } from '../../model/kube.ts';

export default defineRule({
  id: 'service-node-port',
  meta: {
    title: 'NodePort Service',
    description:
      'A NodePort Service listens on a port of every node, bypassing load-balancer controls; whoever reaches a node (its security group, a public IP) reaches the selected pods.',
    severity: 'low',
    domain: 'exposure',
    targets: ['Service'],
    reads: workloadKinds,
    frameworks: { 'owasp-k8s-2022': ['K07'], 'nsa-cisa': ['network-separation'] },
    remediation:
      'Use a ClusterIP Service behind an Ingress or an internal LoadBalancer; if a NodePort is needed, make sure the node security groups only admit the expected sources.',
    messages: {
      nodePort: 'Service "{{service}}" opens node port(s) {{ports}} on every node for {{workloads}}.',
    },
  },
  check(object, ctx) {
    if (stringField(object.spec, 'type') !== 'NodePort') return;
    const ports = arrayField(object.spec, 'ports')
      .map((port) => (port && typeof port === 'object' ? (port as Record<string, unknown>).nodePort : undefined))
      .filter((p): p is number => typeof p === 'number');
    const workloads = workloadsSelectedByService(ctx.snapshot, object).map(workloadLabel);
    ctx.report({
      messageId: 'nodePort',
      data: {
        service: nameOf(object),
        ports: ports.length > 0 ? ports.join(', ') : '(allocated at creation)',
        workloads: listNames(workloads, 'no workload in the snapshot'),
      },
      path: 'spec.type',
      details: { workloads, nodePorts: ports },
    });
  },
});

// A Service of type LoadBalancer without an internal scheme or source ranges gets a public address on EKS.
import { defineRule, fix, listNames, setOps } from '../../engine/index.ts';
import { nameOf } from '../../engine/snapshot-index.ts';
import { internetFacingService, legacyInternalAnnotation, schemeAnnotation, workloadsSelectedByService } from '../../facts/internet-exposure.ts';
import { workloadLabel } from '../../facts/workloads.ts';
import { workloadKinds } from '../../model/kube.ts';

export default defineRule({
  id: 'service-load-balancer-public',
  meta: {
    title: 'Internet-facing LoadBalancer Service',
    description:
      'A Service of type LoadBalancer on EKS gets a load balancer reachable from the internet unless it is marked internal or limited by loadBalancerSourceRanges. Whatever the selected pods serve (a dashboard, an admin API) is then public.',
    severity: 'high',
    domain: 'exposure',
    targets: ['Service'],
    reads: workloadKinds,
    frameworks: { 'owasp-k8s-2022': ['K07'], 'nsa-cisa': ['network-separation'] },
    remediation:
      'Mark the Service internal (`service.beta.kubernetes.io/aws-load-balancer-scheme: internal` with the AWS Load Balancer Controller, `service.beta.kubernetes.io/aws-load-balancer-internal: "true"` with the in-tree provider), or restrict `spec.loadBalancerSourceRanges` to known CIDRs; put authentication in front of anything that must stay public.',
    messages: {
      public: 'Service "{{service}}" is an internet-facing LoadBalancer ({{reason}}) in front of {{workloads}}.',
    },
  },
  check(object, ctx) {
    const exposure = internetFacingService(object);
    if (!exposure) return;
    const workloads = workloadsSelectedByService(ctx.snapshot, object).map(workloadLabel);
    const [key, value] = exposure.awsLoadBalancerController
      ? [schemeAnnotation, 'internal']
      : [legacyInternalAnnotation, 'true'];
    ctx.report({
      messageId: 'public',
      data: { service: nameOf(object), reason: exposure.reason, workloads: listNames(workloads, 'no workload in the snapshot') },
      path: 'spec.type',
      details: { workloads, reason: exposure.reason },
      fix: fix(`Make the load balancer internal (${key}: "${value}")`, setOps(object, ['metadata', 'annotations', key], value)),
    });
  },
});

// An Ingress that asks the AWS Load Balancer Controller for an internet-facing ALB publishes its backends.
import { defineRule, fix, listNames, setOps, toJsonPath } from '../../engine/index.ts';
import { nameOf } from '../../engine/snapshot-index.ts';
import { albSchemeAnnotation, isInternetFacingIngress, workloadsBehindIngress } from '../../facts/internet-exposure.ts';
import { workloadLabel } from '../../facts/workloads.ts';
import { workloadKinds } from '../../model/kube.ts';

export default defineRule({
  id: 'ingress-alb-internet-facing',
  meta: {
    title: 'Internet-facing ALB Ingress',
    description:
      'The Ingress requests an internet-facing Application Load Balancer (`alb.ingress.kubernetes.io/scheme: internet-facing`): its backends are reachable from anywhere unless `inbound-cidrs` or a WAF restrict them.',
    severity: 'medium',
    domain: 'exposure',
    targets: ['Ingress'],
    reads: [...workloadKinds, 'Service'],
    frameworks: { 'owasp-k8s-2022': ['K07'], 'nsa-cisa': ['network-separation'] },
    remediation:
      'Use `alb.ingress.kubernetes.io/scheme: internal` unless the service is meant to be public; otherwise restrict `alb.ingress.kubernetes.io/inbound-cidrs`, attach a WAF and require authentication.',
    messages: {
      public: 'Ingress "{{ingress}}" provisions an internet-facing ALB in front of {{workloads}}.',
    },
  },
  check(object, ctx) {
    if (!isInternetFacingIngress(object)) return;
    const workloads = workloadsBehindIngress(ctx.snapshot, object).map(workloadLabel);
    ctx.report({
      messageId: 'public',
      data: { ingress: nameOf(object), workloads: listNames(workloads, 'no workload in the snapshot') },
      path: toJsonPath(['metadata', 'annotations', albSchemeAnnotation]),
      details: { workloads },
      fix: fix('Make the ALB internal', setOps(object, ['metadata', 'annotations', albSchemeAnnotation], 'internal')),
    });
  },
});

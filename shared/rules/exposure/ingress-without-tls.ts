// An Ingress without TLS serves its hosts in clear text (credentials, session cookies).
import { arrayField, defineRule, listNames } from '../../engine/index.ts';
import { annotationsOf, nameOf } from '../../engine/snapshot-index.ts';
import { workloadsBehindIngress } from '../../facts/internet-exposure.ts';
import { workloadLabel } from '../../facts/workloads.ts';
import { workloadKinds } from '../../model/kube.ts';

/** An ALB terminates TLS itself when given a certificate or an HTTPS listener. */
function albTerminatesTls(annotations: Record<string, string>): boolean {
  if ((annotations['alb.ingress.kubernetes.io/certificate-arn'] ?? '').trim() !== '') return true;
  return /HTTPS/i.test(annotations['alb.ingress.kubernetes.io/listen-ports'] ?? '');
}

export default defineRule({
  id: 'ingress-without-tls',
  meta: {
    title: 'Ingress without TLS',
    description:
      'An Ingress with no `spec.tls` and no TLS listener on its load balancer serves traffic in clear text, so credentials and session tokens cross the network readable.',
    severity: 'medium',
    domain: 'exposure',
    targets: ['Ingress'],
    reads: [...workloadKinds, 'Service'],
    frameworks: { 'owasp-k8s-2022': ['K07'], 'cis-eks-1.8': ['5.4.5'], 'nsa-cisa': ['network-separation'] },
    remediation:
      'Add a `spec.tls` section with a certificate Secret (cert-manager can issue one), or for an ALB set `alb.ingress.kubernetes.io/certificate-arn` and an HTTPS listener in `alb.ingress.kubernetes.io/listen-ports`.',
    messages: {
      noTls: 'Ingress "{{ingress}}" serves {{workloads}} without TLS.',
    },
  },
  check(object, ctx) {
    if (arrayField(object.spec, 'tls').length > 0) return;
    if (albTerminatesTls(annotationsOf(object))) return;
    const workloads = workloadsBehindIngress(ctx.snapshot, object).map(workloadLabel);
    ctx.report({
      messageId: 'noTls',
      data: { ingress: nameOf(object), workloads: listNames(workloads, 'its backends') },
      path: 'spec',
      details: { workloads },
    });
  },
});

// A NetworkPolicy ingress rule that admits every source undoes the isolation the policy was written for.
import { arrayField, defineRule, recordField, toJsonPath } from '../../engine/index.ts';
import { nameOf, namespaceOf } from '../../engine/snapshot-index.ts';
import { isEmptySelector } from '../../facts/label-selector.ts';
import { allowsFromAnywhere, governsIngress } from '../../facts/network-policy.ts';
import { isSystemNamespace } from '../../facts/system-namespaces.ts';

export default defineRule({
  id: 'network-policy-allow-all-ingress',
  meta: {
    title: 'NetworkPolicy allows ingress from anywhere',
    description:
      'An ingress rule without `from`, or with an ipBlock of 0.0.0.0/0, admits every pod of the cluster and every external address (through a load balancer or node port) to the selected pods.',
    severity: 'medium',
    domain: 'network',
    targets: ['NetworkPolicy'],
    frameworks: { 'owasp-k8s-2022': ['K07'], 'nsa-cisa': ['network-separation'] },
    remediation:
      'List the expected sources in `from` (podSelector / namespaceSelector of the callers, or the CIDRs of the load balancer subnets) instead of allowing everything.',
    messages: {
      allowAll: 'NetworkPolicy "{{policy}}" lets {{pods}} receive traffic from anywhere: {{reason}}.',
    },
  },
  check(object, ctx) {
    if (isSystemNamespace(namespaceOf(object)) || !governsIngress(object)) return;
    const pods = isEmptySelector(recordField(object.spec, 'podSelector') ?? {}) ? 'every pod of the namespace' : 'the selected pods';
    arrayField(object.spec, 'ingress').forEach((rule, index) => {
      const open = allowsFromAnywhere(rule);
      if (!open) return;
      const segments = open.peerIndex === undefined ? ['spec', 'ingress', index] : ['spec', 'ingress', index, 'from', open.peerIndex];
      ctx.report({
        messageId: 'allowAll',
        data: { policy: nameOf(object), pods, reason: open.reason },
        path: toJsonPath(segments),
        key: `ingress-${index}`,
      });
    });
  },
});

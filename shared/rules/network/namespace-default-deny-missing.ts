// Namespaces that have NetworkPolicies but no default deny: every new workload starts out open.
import { coverageIncomplete, defineRule } from '../../engine/index.ts';
import { isDefaultDenyIngress } from '../../facts/network-policy.ts';
import { isSystemNamespace } from '../../facts/system-namespaces.ts';
import { namespacesWithWorkloads } from '../../facts/workloads.ts';
import { workloadKinds } from '../../model/kube.ts';

export default defineRule({
  id: 'namespace-default-deny-missing',
  meta: {
    title: 'No default-deny ingress NetworkPolicy',
    description:
      'A namespace with NetworkPolicies but none that selects every pod for ingress leaves each new workload open until someone writes a policy for it. Namespaces without any policy are reported by namespace-network-policy-missing instead; kube-system, kube-public and kube-node-lease are skipped.',
    severity: 'low',
    domain: 'network',
    targets: ['Snapshot'],
    reads: [...workloadKinds, 'NetworkPolicy'],
    frameworks: { 'owasp-k8s-2022': ['K07'], 'cis-eks-1.8': ['4.3.2'], 'nsa-cisa': ['network-separation'] },
    remediation:
      'Add `{ apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: { name: default-deny-ingress }, spec: { podSelector: {}, policyTypes: [Ingress] } }` to the namespace and keep the allow policies.',
    messages: {
      missing: 'Namespace "{{namespace}}" has {{count}} NetworkPolicy(ies) but none denies ingress by default.',
    },
  },
  check(_object, ctx) {
    if (coverageIncomplete(ctx.snapshot, 'NetworkPolicy')) return;
    for (const namespace of namespacesWithWorkloads(ctx.snapshot)) {
      if (isSystemNamespace(namespace)) continue;
      const own = ctx.snapshot.inNamespace('NetworkPolicy', namespace);
      if (own.length === 0 || own.some(isDefaultDenyIngress)) continue;
      ctx.report({
        messageId: 'missing',
        data: { namespace, count: own.length },
        path: '',
        resource: { apiVersion: 'v1', kind: 'Namespace', name: namespace },
      });
    }
  },
});

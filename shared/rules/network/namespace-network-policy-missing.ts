// Namespaces whose workloads no NetworkPolicy selects: every pod there accepts traffic from every other pod.
import { coverageIncomplete, defineRule, listNames, recordField } from '../../engine/index.ts';
import { labelSelectorMatches } from '../../facts/label-selector.ts';
import { isSystemNamespace } from '../../facts/system-namespaces.ts';
import { namespacesWithWorkloads, podLabelsOf, workloadLabel, workloadsIn } from '../../facts/workloads.ts';
import { workloadKinds } from '../../model/kube.ts';

export default defineRule({
  id: 'namespace-network-policy-missing',
  meta: {
    title: 'Workloads not selected by any NetworkPolicy',
    description:
      'Pods that no NetworkPolicy selects accept connections from every pod in the cluster and can reach anything: one compromised pod can probe and attack all of them. Namespaces kube-system, kube-public and kube-node-lease are skipped (EKS add-ons there need host networking).',
    severity: 'medium',
    domain: 'network',
    targets: ['Snapshot'],
    reads: [...workloadKinds, 'NetworkPolicy'],
    frameworks: { 'owasp-k8s-2022': ['K07'], 'cis-eks-1.8': ['4.3.2'], 'nsa-cisa': ['network-separation'] },
    remediation:
      'Add a default-deny NetworkPolicy to the namespace (`podSelector: {}`, `policyTypes: [Ingress, Egress]`), then allow the flows each workload needs. On EKS, enable network policy enforcement in the VPC CNI add-on (`enableNetworkPolicy: "true"`) or run Calico/Cilium.',
    messages: {
      none: 'Namespace "{{namespace}}" runs {{count}} workload(s) and has no NetworkPolicy.',
      unselected: 'In namespace "{{namespace}}", {{count}} workload(s) are not selected by any NetworkPolicy: {{workloads}}.',
    },
  },
  check(_object, ctx) {
    // An incomplete list of policies proves nothing about their absence.
    if (coverageIncomplete(ctx.snapshot, 'NetworkPolicy')) return;
    for (const namespace of namespacesWithWorkloads(ctx.snapshot)) {
      if (isSystemNamespace(namespace)) continue;
      const workloads = workloadsIn(ctx.snapshot, namespace);
      if (workloads.length === 0) continue;
      const resource = { apiVersion: 'v1', kind: 'Namespace', name: namespace };
      const own = ctx.snapshot.inNamespace('NetworkPolicy', namespace);
      if (own.length === 0) {
        ctx.report({
          messageId: 'none',
          data: { namespace, count: workloads.length },
          path: '',
          resource,
          details: { workloads: workloads.map(workloadLabel) },
        });
        continue;
      }
      const unselected = workloads.filter((w) => {
        const labels = podLabelsOf(w);
        return !own.some((p) => labelSelectorMatches(recordField(p.spec, 'podSelector') ?? {}, labels));
      });
      if (unselected.length === 0) continue;
      const names = unselected.map(workloadLabel);
      ctx.report({
        messageId: 'unselected',
        data: { namespace, count: unselected.length, workloads: listNames(names, '') },
        path: '',
        resource,
        details: { workloads: names },
      });
    }
  },
});

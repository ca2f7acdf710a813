// A pod sharing the node's network, process or IPC namespace sees and reaches what every other process there does.
import { defineRule, fix, setOps } from '../../engine/index.ts';
import { workloadKinds } from '../../model/kube.ts';
import { placeAt, podSecurityOf } from '../../facts/pod-security.ts';

const namespaces = [
  { field: 'hostNetwork', messageId: 'hostNetwork' },
  { field: 'hostPID', messageId: 'hostPID' },
  { field: 'hostIPC', messageId: 'hostIPC' },
] as const;

export default defineRule({
  id: 'host-namespaces',
  meta: {
    title: 'Pod shares host namespaces',
    description:
      "A pod with hostNetwork, hostPID or hostIPC joins the node's namespace: it can sniff and bind the node's network, see and signal every process on the node, or read other processes' shared memory.",
    severity: 'high',
    domain: 'workload',
    targets: workloadKinds,
    frameworks: {
      'owasp-k8s-2022': ['K01'],
      'cis-eks-1.8': ['4.2.2', '4.2.3', '4.2.4'],
      pss: ['baseline/hostNamespaces'],
      'nsa-cisa': ['pod-security'],
    },
    remediation:
      'Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (or set them to false); expose ports through a Service instead of the host network.',
    messages: {
      hostNetwork: "The pod uses the node's network namespace (hostNetwork: true).",
      hostPID: "The pod uses the node's process ID namespace (hostPID: true).",
      hostIPC: "The pod uses the node's IPC namespace (hostIPC: true).",
    },
  },
  check(object, ctx) {
    const security = podSecurityOf(object);
    if (!security) return;
    for (const { field, messageId } of namespaces) {
      if (security.template.spec[field] !== true) continue;
      const place = placeAt(security.template.specSegments, field);
      ctx.report({
        messageId,
        path: place.path,
        fix: fix(`Set ${field} to false`, setOps(object, place.segments, false)),
      });
    }
  },
});

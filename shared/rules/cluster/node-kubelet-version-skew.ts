// Kubelets older than the control plane (self-managed nodes and stragglers; managed node groups are judged by
// eks-nodegroup-version-skew, so their nodes are not reported twice).
import { defineRule, recordField } from '../../engine/index.ts';
import { labelsOf, nameOf } from '../../engine/snapshot-index.ts';
import { formatMinor, maxKubeletSkew, parseMinorVersion, skewOf } from '../../facts/kubernetes-versions.ts';

export const nodegroupLabel = 'eks.amazonaws.com/nodegroup';

export default defineRule({
  id: 'node-kubelet-version-skew',
  meta: {
    title: 'Kubelet behind the control plane',
    description:
      'The node\'s kubelet is older than the control plane. Lagging kubelets miss fixes; beyond the version-skew policy (three minor versions since 1.28, never newer than the API server) they are unsupported. Nodes of a managed node group known to the EKS API are left to eks-nodegroup-version-skew.',
    severity: 'low',
    domain: 'cluster',
    targets: ['Node'],
    requires: ['clusterInfo'],
    frameworks: { 'owasp-k8s-2022': ['K10'], 'nsa-cisa': ['upgrading'] },
    remediation: 'Replace or upgrade the node to an AMI matching the control-plane version (drain, then roll the node).',
    messages: {
      behind: 'Node "{{node}}" runs kubelet {{kubelet}}, {{behind}} minor version(s) behind the control plane ({{controlPlane}}).',
      unsupported: 'Node "{{node}}" runs kubelet {{kubelet}} against a {{controlPlane}} control plane, outside the supported skew (at most {{max}} minor versions older).',
    },
  },
  check(object, ctx) {
    const info = ctx.snapshot.clusterInfo;
    const controlPlane = parseMinorVersion(info?.version);
    if (!controlPlane) return;
    const group = labelsOf(object)[nodegroupLabel];
    if (group && (info?.nodeGroups ?? []).some((g) => g.name === group && g.version)) return;
    const raw = recordField(recordField(object, 'status'), 'nodeInfo')?.kubeletVersion;
    const kubelet = parseMinorVersion(raw);
    if (!kubelet) return;
    const skew = skewOf(controlPlane, kubelet);
    if (!skew) return;
    const data = { node: nameOf(object), kubelet: String(raw), controlPlane: formatMinor(controlPlane) };
    const path = 'status.nodeInfo.kubeletVersion';
    if (skew.kind === 'unsupported') {
      ctx.report({ messageId: 'unsupported', data: { ...data, max: maxKubeletSkew(controlPlane) }, path, severity: 'high' });
    } else {
      ctx.report({ messageId: 'behind', data: { ...data, behind: skew.behind }, path });
    }
  },
});

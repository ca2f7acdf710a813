// Managed node groups left on an older Kubernetes version than the control plane.
import { defineRule, toJsonPath } from '../../engine/index.ts';
import { formatMinor, maxKubeletSkew, parseMinorVersion, skewOf } from '../../facts/kubernetes-versions.ts';

export default defineRule({
  id: 'eks-nodegroup-version-skew',
  meta: {
    title: 'Managed node group behind the control plane',
    description:
      'A managed node group runs an older Kubernetes version than the control plane. Nodes lagging behind miss kubelet fixes; beyond the version-skew policy (three minors since 1.28, never newer) they are unsupported and may break.',
    severity: 'low',
    domain: 'cluster',
    targets: ['EKSCluster'],
    requires: ['clusterInfo'],
    frameworks: { 'owasp-k8s-2022': ['K10'], 'nsa-cisa': ['upgrading'] },
    remediation: 'Update the node group: `aws eks update-nodegroup-version --cluster-name <cluster> --nodegroup-name <name>`.',
    messages: {
      behind: 'Node group "{{nodegroup}}" runs Kubernetes {{version}}, {{behind}} minor version(s) behind the control plane ({{controlPlane}}).',
      unsupported:
        'Node group "{{nodegroup}}" runs Kubernetes {{version}} against a {{controlPlane}} control plane, outside the supported skew (at most {{max}} minor versions older).',
    },
  },
  check(_object, ctx) {
    const info = ctx.snapshot.clusterInfo;
    const controlPlane = parseMinorVersion(info?.version);
    if (!info || !controlPlane) return;
    (info.nodeGroups ?? []).forEach((group, index) => {
      const version = parseMinorVersion(group.version);
      if (!version) return;
      const skew = skewOf(controlPlane, version);
      if (!skew) return;
      const data = { nodegroup: group.name, version: formatMinor(version), controlPlane: formatMinor(controlPlane) };
      const path = toJsonPath(['nodeGroups', index, 'version']);
      if (skew.kind === 'unsupported') {
        ctx.report({ messageId: 'unsupported', data: { ...data, max: maxKubeletSkew(controlPlane) }, path, key: group.name, severity: 'high' });
      } else {
        ctx.report({ messageId: 'behind', data: { ...data, behind: skew.behind }, path, key: group.name });
      }
    });
  },
});

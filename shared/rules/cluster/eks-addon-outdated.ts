// EKS add-ons (VPC CNI, CoreDNS, kube-proxy, CSI drivers) behind the default version EKS ships for the cluster's
// Kubernetes version miss security fixes.
import { defineRule, toJsonPath } from '../../engine/index.ts';
import { compareVersions } from '../../facts/kubernetes-versions.ts';

export default defineRule({
  id: 'eks-addon-outdated',
  meta: {
    title: 'EKS add-on behind its default version',
    description:
      'A managed add-on runs an older version than the default EKS recommends for the cluster\'s Kubernetes version (DescribeAddonVersions); add-ons such as the VPC CNI and kube-proxy run privileged on every node, so their fixes matter.',
    severity: 'low',
    domain: 'cluster',
    targets: ['EKSCluster'],
    requires: ['clusterInfo'],
    frameworks: { 'owasp-k8s-2022': ['K10'], 'nsa-cisa': ['upgrading'] },
    remediation:
      'Update the add-on: `aws eks update-addon --cluster-name <cluster> --addon-name <name> --addon-version <default>` (review the add-on\'s release notes and configuration values first).',
    messages: {
      outdated: 'Add-on "{{addon}}" on cluster "{{cluster}}" runs {{version}}, behind the default {{defaultVersion}}.',
    },
  },
  check(_object, ctx) {
    const info = ctx.snapshot.clusterInfo;
    if (!info) return;
    (info.addons ?? []).forEach((addon, index) => {
      if (!addon.version || !addon.defaultVersion || compareVersions(addon.version, addon.defaultVersion) >= 0) return;
      ctx.report({
        messageId: 'outdated',
        data: { addon: addon.name, cluster: info.name, version: addon.version, defaultVersion: addon.defaultVersion },
        path: toJsonPath(['addons', index, 'version']),
        key: addon.name,
      });
    });
  },
});

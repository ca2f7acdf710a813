// The cluster creator's implicit administrator access, left in place.
import { clusterTarget, defineRule } from '../../engine/index.ts';
import { accessPolicyName } from '../../rbac/index.ts';

export default defineRule({
  id: 'eks-bootstrap-cluster-creator-admin',
  meta: {
    title: 'Cluster creator keeps bootstrap admin access',
    description:
      'With bootstrapClusterCreatorAdminPermissions the IAM identity that created the cluster (often a CI role or a person) gets cluster-admin through an access entry. Left in place, that identity stays an administrator long after it is needed. Not reported when the access entries are known and none has AmazonEKSClusterAdminPolicy any more.',
    severity: 'low',
    domain: 'rbac',
    targets: [clusterTarget],
    requires: ['clusterInfo'],
    frameworks: { 'owasp-k8s-2022': ['K03'], 'cis-eks-1.8': ['4.1.1', '4.1.7'], 'nsa-cisa': ['authentication-authorization'] },
    remediation:
      'Create access entries for the administrators who need them, then delete the creator\'s access entry; create new clusters with bootstrapClusterCreatorAdminPermissions=false.',
    messages: {
      bootstrap: 'Cluster {{cluster}} was created with bootstrapClusterCreatorAdminPermissions and {{state}}.',
    },
  },
  check(_object, ctx) {
    const info = ctx.snapshot.clusterInfo;
    if (info?.bootstrapClusterCreatorAdminPermissions !== true) return;
    const entries = info.accessEntries;
    const admins = entries?.filter((e) => (e.policies ?? []).some((p) => accessPolicyName(p.policyArn) === 'AmazonEKSClusterAdminPolicy' && p.accessScope?.type !== 'namespace'));
    if (admins && admins.length === 0) return;
    const state = admins ? `an access entry with AmazonEKSClusterAdminPolicy remains (${admins.map((a) => a.principalArn).join(', ')})` : 'its access entries could not be read';
    ctx.report({ messageId: 'bootstrap', data: { cluster: info.name, state }, path: 'accessConfig.bootstrapClusterCreatorAdminPermissions' });
  },
});

// The rule catalogue: one line per rule, sorted by id. Adding a rule = one file, one test, one line here (and one
// in pss.ts when it maps to a Pod Security Standards check).
import type { AnyRule } from '../engine/rule.ts';
import admissionPolicyEngineMissing from './policy/admission-policy-engine-missing.ts';
import allowPrivilegeEscalation from './workload/allow-privilege-escalation.ts';
import apparmorProfile from './workload/apparmor-profile.ts';
import automountServiceAccountToken from './workload/automount-service-account-token.ts';
import capabilitiesBaseline from './workload/capabilities-baseline.ts';
import capabilitiesRestricted from './workload/capabilities-restricted.ts';
import configmapCredentials from './secrets/configmap-credentials.ts';
import dangerousCapabilities from './workload/dangerous-capabilities.ts';
import defaultNamespace from './workload/default-namespace.ts';
import defaultServiceAccount from './workload/default-service-account.ts';
import eksAccessEntryAdmin from './identity/eks-access-entry-admin.ts';
import eksAddonOutdated from './cluster/eks-addon-outdated.ts';
import eksAuditLogDisabled from './cluster/eks-audit-log-disabled.ts';
import eksAuthenticationMode from './cluster/eks-authentication-mode.ts';
import eksAuthenticatorLogDisabled from './cluster/eks-authenticator-log-disabled.ts';
import eksAwsAuthSystemMasters from './identity/eks-aws-auth-system-masters.ts';
import eksBootstrapClusterCreatorAdmin from './identity/eks-bootstrap-cluster-creator-admin.ts';
import eksNodegroupSshOpen from './cluster/eks-nodegroup-ssh-open.ts';
import eksNodegroupVersionSkew from './cluster/eks-nodegroup-version-skew.ts';
import eksPrivateEndpointDisabled from './cluster/eks-private-endpoint-disabled.ts';
import eksPublicEndpointOpen from './cluster/eks-public-endpoint-open.ts';
import eksSecretsCustomerKeyMissing from './cluster/eks-secrets-customer-key-missing.ts';
import eksVersionSupport from './cluster/eks-version-support.ts';
import hostNamespaces from './workload/host-namespaces.ts';
import hostPathVolume from './workload/host-path-volume.ts';
import hostPorts from './workload/host-ports.ts';
import hostProbesLifecycle from './workload/host-probes-lifecycle.ts';
import imageLatestTag from './supply-chain/image-latest-tag.ts';
import imageNotPinnedByDigest from './supply-chain/image-not-pinned-by-digest.ts';
import imageRegistryNotAllowed from './supply-chain/image-registry-not-allowed.ts';
import ingressAlbInternetFacing from './exposure/ingress-alb-internet-facing.ts';
import ingressWithoutTls from './exposure/ingress-without-tls.ts';
import missingResourceLimits from './workload/missing-resource-limits.ts';
import missingResourceRequests from './workload/missing-resource-requests.ts';
import namespaceDefaultDenyMissing from './network/namespace-default-deny-missing.ts';
import namespaceNetworkPolicyMissing from './network/namespace-network-policy-missing.ts';
import namespacePssEnforceMissing from './policy/namespace-pss-enforce-missing.ts';
import networkPolicyAllowAllIngress from './network/network-policy-allow-all-ingress.ts';
import nodeContainerRuntimeCve from './cluster/node-container-runtime-cve.ts';
import nodeExternalIp from './cluster/node-external-ip.ts';
import nodeKubeletVersionSkew from './cluster/node-kubelet-version-skew.ts';
import pathPublicWorkloadPivot from './path/path-public-workload-pivot.ts';
import privilegedContainer from './workload/privileged-container.ts';
import procMount from './workload/proc-mount.ts';
import procMountRestricted from './workload/proc-mount-restricted.ts';
import rbacApproveCsr from './rbac/rbac-approve-csr.ts';
import rbacAwsAuthWrite from './rbac/rbac-aws-auth-write.ts';
import rbacClusterAdmin from './rbac/rbac-cluster-admin.ts';
import rbacCreatePersistentVolumes from './rbac/rbac-create-persistent-volumes.ts';
import rbacCreatePods from './rbac/rbac-create-pods.ts';
import rbacDefaultServiceAccount from './rbac/rbac-default-service-account.ts';
import rbacEscalateBindImpersonate from './rbac/rbac-escalate-bind-impersonate.ts';
import rbacExecIntoPods from './rbac/rbac-exec-into-pods.ts';
import rbacNamespaceEscalation from './rbac/rbac-namespace-escalation.ts';
import rbacNodesProxy from './rbac/rbac-nodes-proxy.ts';
import rbacPortForward from './rbac/rbac-port-forward.ts';
import rbacPublicAccess from './rbac/rbac-public-access.ts';
import rbacReadSecrets from './rbac/rbac-read-secrets.ts';
import rbacTokenCreate from './rbac/rbac-token-create.ts';
import rbacWebhookWrite from './rbac/rbac-webhook-write.ts';
import rbacWildcard from './rbac/rbac-wildcard.ts';
import rbacWorkloadBlastRadius from './rbac/rbac-workload-blast-radius.ts';
import rbacWriteRbac from './rbac/rbac-write-rbac.ts';
import restrictedVolumeTypes from './workload/restricted-volume-types.ts';
import runAsNonRoot from './workload/run-as-non-root.ts';
import runAsRootUser from './workload/run-as-root-user.ts';
import seccompProfileMissing from './workload/seccomp-profile-missing.ts';
import seccompUnconfined from './workload/seccomp-unconfined.ts';
import secretEnvVar from './secrets/secret-env-var.ts';
import secretInEnv from './secrets/secret-in-env.ts';
import selinuxOptions from './workload/selinux-options.ts';
import sensitiveHostPath from './workload/sensitive-host-path.ts';
import serviceAccountTokenSecret from './secrets/service-account-token-secret.ts';
import serviceLoadBalancerPublic from './exposure/service-load-balancer-public.ts';
import serviceNodePort from './exposure/service-node-port.ts';
import unsafeSysctls from './workload/unsafe-sysctls.ts';
import windowsHostProcess from './workload/windows-host-process.ts';
import writableRootFilesystem from './workload/writable-root-filesystem.ts';

export const rules: readonly AnyRule[] = [
  admissionPolicyEngineMissing,
  allowPrivilegeEscalation,
  apparmorProfile,
  automountServiceAccountToken,
  capabilitiesBaseline,
  capabilitiesRestricted,
  configmapCredentials,
  dangerousCapabilities,
  defaultNamespace,
  defaultServiceAccount,
  eksAccessEntryAdmin,
  eksAddonOutdated,
  eksAuditLogDisabled,
  eksAuthenticationMode,
  eksAuthenticatorLogDisabled,
  eksAwsAuthSystemMasters,
  eksBootstrapClusterCreatorAdmin,
  eksNodegroupSshOpen,
  eksNodegroupVersionSkew,
  eksPrivateEndpointDisabled,
  eksPublicEndpointOpen,
  eksSecretsCustomerKeyMissing,
  eksVersionSupport,
  hostNamespaces,
  hostPathVolume,
  hostPorts,
  hostProbesLifecycle,
  imageLatestTag,
  imageNotPinnedByDigest,
  imageRegistryNotAllowed,
  ingressAlbInternetFacing,
  ingressWithoutTls,
  missingResourceLimits,
  missingResourceRequests,
  namespaceDefaultDenyMissing,
  namespaceNetworkPolicyMissing,
  namespacePssEnforceMissing,
  networkPolicyAllowAllIngress,
  nodeContainerRuntimeCve,
  nodeExternalIp,
  nodeKubeletVersionSkew,
  pathPublicWorkloadPivot,
  privilegedContainer,
  procMount,
  procMountRestricted,
  rbacApproveCsr,
  rbacAwsAuthWrite,
  rbacClusterAdmin,
  rbacCreatePersistentVolumes,
  rbacCreatePods,
  rbacDefaultServiceAccount,
  rbacEscalateBindImpersonate,
  rbacExecIntoPods,
  rbacNamespaceEscalation,
  rbacNodesProxy,
  rbacPortForward,
  rbacPublicAccess,
  rbacReadSecrets,
  rbacTokenCreate,
  rbacWebhookWrite,
  rbacWildcard,
  rbacWorkloadBlastRadius,
  rbacWriteRbac,
  restrictedVolumeTypes,
  runAsNonRoot,
  runAsRootUser,
  seccompProfileMissing,
  seccompUnconfined,
  secretEnvVar,
  secretInEnv,
  selinuxOptions,
  sensitiveHostPath,
  serviceAccountTokenSecret,
  serviceLoadBalancerPublic,
  serviceNodePort,
  unsafeSysctls,
  windowsHostProcess,
  writableRootFilesystem,
];

export function ruleById(id: string): AnyRule | undefined {
  return rules.find((rule) => rule.id === id);
}

export { pssPack } from './pss.ts';

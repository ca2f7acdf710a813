// The rule catalogue: one line per rule, sorted by id. Adding a rule = one file, one test, one line here.
import type { AnyRule } from '../engine/rule.ts';
import allowPrivilegeEscalation from './workload/allow-privilege-escalation.ts';
import apparmorProfile from './workload/apparmor-profile.ts';
import automountServiceAccountToken from './workload/automount-service-account-token.ts';
import capabilitiesBaseline from './workload/capabilities-baseline.ts';
import capabilitiesRestricted from './workload/capabilities-restricted.ts';
import dangerousCapabilities from './workload/dangerous-capabilities.ts';
import defaultNamespace from './workload/default-namespace.ts';
import defaultServiceAccount from './workload/default-service-account.ts';
import hostNamespaces from './workload/host-namespaces.ts';
import hostPathVolume from './workload/host-path-volume.ts';
import hostPorts from './workload/host-ports.ts';
import hostProbesLifecycle from './workload/host-probes-lifecycle.ts';
import imageLatestTag from './supply-chain/image-latest-tag.ts';
import imageNotPinnedByDigest from './supply-chain/image-not-pinned-by-digest.ts';
import missingResourceLimits from './workload/missing-resource-limits.ts';
import missingResourceRequests from './workload/missing-resource-requests.ts';
import privilegedContainer from './workload/privileged-container.ts';
import procMount from './workload/proc-mount.ts';
import procMountRestricted from './workload/proc-mount-restricted.ts';
import restrictedVolumeTypes from './workload/restricted-volume-types.ts';
import runAsNonRoot from './workload/run-as-non-root.ts';
import runAsRootUser from './workload/run-as-root-user.ts';
import seccompProfileMissing from './workload/seccomp-profile-missing.ts';
import seccompUnconfined from './workload/seccomp-unconfined.ts';
import secretEnvVar from './secrets/secret-env-var.ts';
import secretInEnv from './secrets/secret-in-env.ts';
import selinuxOptions from './workload/selinux-options.ts';
import sensitiveHostPath from './workload/sensitive-host-path.ts';
import unsafeSysctls from './workload/unsafe-sysctls.ts';
import windowsHostProcess from './workload/windows-host-process.ts';
import writableRootFilesystem from './workload/writable-root-filesystem.ts';

export const rules: readonly AnyRule[] = [
  allowPrivilegeEscalation,
  apparmorProfile,
  automountServiceAccountToken,
  capabilitiesBaseline,
  capabilitiesRestricted,
  dangerousCapabilities,
  defaultNamespace,
  defaultServiceAccount,
  hostNamespaces,
  hostPathVolume,
  hostPorts,
  hostProbesLifecycle,
  imageLatestTag,
  imageNotPinnedByDigest,
  missingResourceLimits,
  missingResourceRequests,
  privilegedContainer,
  procMount,
  procMountRestricted,
  restrictedVolumeTypes,
  runAsNonRoot,
  runAsRootUser,
  seccompProfileMissing,
  seccompUnconfined,
  secretEnvVar,
  secretInEnv,
  selinuxOptions,
  sensitiveHostPath,
  unsafeSysctls,
  windowsHostProcess,
  writableRootFilesystem,
];

export function ruleById(id: string): AnyRule | undefined {
  return rules.find((rule) => rule.id === id);
}

// The Pod Security Standards pack: the rules mapped to a PSS check (`meta.frameworks.pss`), sorted by id, so a scan
// or the conformance suite can run exactly PSS. Every rule here is also in the catalogue (index.ts).
import type { AnyRule } from '../engine/rule.ts';
import allowPrivilegeEscalation from './workload/allow-privilege-escalation.ts';
import apparmorProfile from './workload/apparmor-profile.ts';
import capabilitiesBaseline from './workload/capabilities-baseline.ts';
import capabilitiesRestricted from './workload/capabilities-restricted.ts';
import hostNamespaces from './workload/host-namespaces.ts';
import hostPathVolume from './workload/host-path-volume.ts';
import hostPorts from './workload/host-ports.ts';
import hostProbesLifecycle from './workload/host-probes-lifecycle.ts';
import privilegedContainer from './workload/privileged-container.ts';
import procMount from './workload/proc-mount.ts';
import procMountRestricted from './workload/proc-mount-restricted.ts';
import restrictedVolumeTypes from './workload/restricted-volume-types.ts';
import runAsNonRoot from './workload/run-as-non-root.ts';
import runAsRootUser from './workload/run-as-root-user.ts';
import seccompProfileMissing from './workload/seccomp-profile-missing.ts';
import seccompUnconfined from './workload/seccomp-unconfined.ts';
import selinuxOptions from './workload/selinux-options.ts';
import unsafeSysctls from './workload/unsafe-sysctls.ts';
import windowsHostProcess from './workload/windows-host-process.ts';

export const pssPack: readonly AnyRule[] = [
  allowPrivilegeEscalation,
  apparmorProfile,
  capabilitiesBaseline,
  capabilitiesRestricted,
  hostNamespaces,
  hostPathVolume,
  hostPorts,
  hostProbesLifecycle,
  privilegedContainer,
  procMount,
  procMountRestricted,
  restrictedVolumeTypes,
  runAsNonRoot,
  runAsRootUser,
  seccompProfileMissing,
  seccompUnconfined,
  selinuxOptions,
  unsafeSysctls,
  windowsHostProcess,
];

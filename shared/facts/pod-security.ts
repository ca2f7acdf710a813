// Pod Security Standards facts shared by the PSS rules (policy version "latest", i.e. upstream v1.37): the allowed
// lists, the Windows and user-namespace exemptions, and where the pod and container security contexts live.
import {
  containersOf,
  podTemplateOf,
  recordField,
  stringField,
  toJsonPath,
  type ContainerRef,
  type PathSegment,
  type PodTemplate,
} from '../engine/index.ts';
import type { KubeObject } from '../model/kube.ts';

/** Capabilities a baseline container may add: the container runtimes' default set. */
export const defaultCapabilities: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** The one capability a restricted container may add back after dropping ALL. */
export const restrictedAddableCapability = 'NET_BIND_SERVICE';

/** Namespaced sysctls the baseline level allows (v1.0, + v1.27, v1.29, v1.32 and v1.37 additions). */
export const safeSysctls: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
]);

/** SELinux types a baseline pod may ask for ('' is the runtime's default; container_engine_t since v1.31). */
export const allowedSeLinuxTypes: ReadonlySet<string> = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);

/** Volume sources a restricted pod may use: none of them reaches the node or storage outside a PersistentVolume. */
export const restrictedAllowedVolumeSources: ReadonlySet<string> = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** seccomp profile types the restricted level accepts. */
export const confinedSeccompTypes: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

/** AppArmor profile types (field form) the baseline level accepts. */
export const allowedAppArmorTypes: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

/** Prefix of the deprecated per-container AppArmor annotation. */
export const appArmorAnnotationPrefix = 'container.apparmor.security.beta.kubernetes.io/';

/** The deprecated annotation's allowed values: empty, runtime/default, or a localhost/ profile. */
export function isAllowedAppArmorAnnotation(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

/** Restricted checks that upstream skips for pods with `spec.os.name: windows` (since v1.25). */
export function isWindowsPod(spec: Record<string, unknown>): boolean {
  return stringField(recordField(spec, 'os'), 'name') === 'windows';
}

/** `hostUsers: false`: the pod runs in its own user namespace; upstream relaxes procMount, runAsNonRoot, runAsUser. */
export function usesUserNamespace(spec: Record<string, unknown>): boolean {
  return spec.hostUsers === false;
}

/** A place in the owning object: segments for JSON Patch, a dotted path for people. */
export interface Place {
  segments: readonly PathSegment[];
  path: string;
}

export function placeAt(base: readonly PathSegment[], ...rest: PathSegment[]): Place {
  const segments = [...base, ...rest];
  return { segments, path: toJsonPath(segments) };
}

/** A security context (pod or container level), absent or malformed ones as undefined, with where it goes. */
export interface SecurityContextRef extends Place {
  context: Record<string, unknown> | undefined;
}

export interface ContainerSecurity extends SecurityContextRef {
  ref: ContainerRef;
}

export interface PodSecurity {
  template: PodTemplate;
  /** `spec.securityContext` of the pod (or of the template). */
  pod: SecurityContextRef;
  /** Every container (init, regular, ephemeral) with its own securityContext. */
  containers: ContainerSecurity[];
}

const podSecurityCache = new WeakMap<KubeObject, PodSecurity | undefined>();

/** The pod template of a workload with its pod and container security contexts, or undefined for other objects.
 * Some twenty rules ask for the same object's, so it is worked out once per object (objects are not modified during
 * a run: rules only read them, and the RuleTester deep-freezes them). Callers must not modify the result. */
export function podSecurityOf(object: KubeObject): PodSecurity | undefined {
  if (podSecurityCache.has(object)) return podSecurityCache.get(object);
  const security = computePodSecurity(object);
  podSecurityCache.set(object, security);
  return security;
}

function computePodSecurity(object: KubeObject): PodSecurity | undefined {
  const template = podTemplateOf(object);
  if (!template) return undefined;
  const podPlace = placeAt(template.specSegments, 'securityContext');
  return {
    template,
    pod: { ...podPlace, context: recordField(template.spec, 'securityContext') },
    containers: containersOf(object).map((ref) => ({
      ref,
      ...placeAt(ref.segments, 'securityContext'),
      context: recordField(ref.container, 'securityContext'),
    })),
  };
}

/** Containers whose procMount is set to something other than Default. */
export function unmaskedProcMounts(security: PodSecurity): { scope: ContainerSecurity; value: string; place: Place }[] {
  return security.containers.flatMap((scope) => {
    const value = scope.context?.procMount;
    if (typeof value !== 'string' || value === 'Default') return [];
    return [{ scope, value, place: placeAt(scope.segments, 'procMount') }];
  });
}

/** How a message names a container: its name, or its position when it has none. */
export function containerLabel(ref: ContainerRef): string {
  return ref.name !== '' ? ref.name : `${ref.type}[${ref.index}]`;
}

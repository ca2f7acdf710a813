// Where a hostPath volume points and how sensitive that node path is: read by the workload rules on hostPath
// volumes and by the attack-path rule (a mounted runtime socket or host root is a way onto the node).
import { recordField, stringField } from '../engine/workload.ts';
import type { Severity } from '../model/finding.ts';
import { isRecord } from '../model/kube.ts';

/** True when a volume (an entry of `spec.volumes`) is a hostPath volume, whatever its path. */
export function isHostPathVolume(volume: unknown): boolean {
  return isRecord(volume) && volume.hostPath !== undefined && volume.hostPath !== null;
}

/** The node path a hostPath volume mounts, as written, or undefined when it is not one or names no path. */
export function hostPathOf(volume: unknown): string | undefined {
  return stringField(recordField(volume, 'hostPath'), 'path');
}

export interface SensitivePath {
  /** Normalized absolute path; it and everything below it match. */
  path: string;
  severity: Severity;
  what: string;
  /** A read-only mount lowers the severity one step (reading alone is not the compromise). */
  readOnlyLowers?: boolean;
  /** Severity of a sub-path not listed on its own, when lower than the directory's. */
  subPaths?: Severity;
}

const runtimeSocketNames = ['docker.sock', 'containerd.sock', 'crio.sock', 'dockershim.sock', 'cri-dockerd.sock', 'podman.sock'];

/** Where runtimes put their sockets; mounting one of them or a directory above it exposes the runtime. */
const runtimeSockets = [
  '/run/docker.sock',
  '/run/dockershim.sock',
  '/run/cri-dockerd.sock',
  '/run/containerd/containerd.sock',
  '/run/crio/crio.sock',
  '/run/k3s/containerd/containerd.sock',
  '/run/podman/podman.sock',
];

// The kubelet follows symlinks under /var/log/pods when serving logs: write access there reads any host file.
const varLogWhat = 'node logs; a writable /var/log lets a pod read host files through the kubelet log endpoint';

/** Longest match wins. `/var/run` is folded into `/run` before matching (it is a symlink on every node OS). */
const sensitivePaths: readonly SensitivePath[] = [
  { path: '/', severity: 'critical', what: "the node's whole file system" },
  { path: '/etc', severity: 'high', what: 'node configuration and credentials' },
  { path: '/root', severity: 'high', what: "root's home directory and keys" },
  { path: '/home', severity: 'high', what: 'user home directories and keys' },
  { path: '/var/lib/kubelet', severity: 'high', what: "kubelet credentials and every pod's volumes and secrets" },
  { path: '/var/lib/docker', severity: 'high', what: "the container runtime's state and other containers' file systems" },
  { path: '/var/lib/containerd', severity: 'high', what: "the container runtime's state and other containers' file systems" },
  { path: '/var/lib/containers', severity: 'high', what: "the container runtime's state and other containers' file systems" },
  { path: '/var/lib/etcd', severity: 'high', what: "the cluster's etcd data" },
  { path: '/proc', severity: 'high', what: 'host processes and kernel tunables' },
  { path: '/sys', severity: 'high', what: 'kernel, cgroup and device settings', readOnlyLowers: true },
  { path: '/dev', severity: 'high', what: 'host devices' },
  { path: '/boot', severity: 'high', what: 'the kernel and boot loader', readOnlyLowers: true },
  { path: '/lib', severity: 'high', what: 'host libraries and kernel modules', readOnlyLowers: true },
  { path: '/usr', severity: 'high', what: 'host binaries and libraries', readOnlyLowers: true },
  { path: '/bin', severity: 'high', what: 'host binaries', readOnlyLowers: true },
  { path: '/sbin', severity: 'high', what: 'host binaries', readOnlyLowers: true },
  { path: '/opt/cni', severity: 'high', what: 'CNI plugins the kubelet runs as root', readOnlyLowers: true },
  { path: '/run', severity: 'high', what: 'runtime state and sockets of host services', readOnlyLowers: true },
  { path: '/run/xtables.lock', severity: 'low', what: 'the iptables lock shared with kube-proxy and the CNI' },
  { path: '/var/log', severity: 'high', what: varLogWhat, readOnlyLowers: true, subPaths: 'medium' },
  { path: '/var/log/pods', severity: 'high', what: varLogWhat, readOnlyLowers: true },
  { path: '/var/log/containers', severity: 'high', what: varLogWhat, readOnlyLowers: true },
];

/** `\\.\pipe\docker_engine` and `C:\var\lib\kubelet` on Windows nodes; undefined when not a Windows path. */
function windowsPath(raw: string): string | undefined {
  const pipe = /^[\\/]{2}\.[\\/]pipe[\\/](.+)$/i.exec(raw);
  if (pipe) return `pipe:${pipe[1]!.toLowerCase()}`;
  const drive = /^[a-z]:([\\/].*)?$/i.exec(raw);
  if (drive) return normalizeHostPath((drive[1] ?? '/').replaceAll('\\', '/').toLowerCase());
  return undefined;
}

/** Absolute, without `.`/`..`/empty segments or a trailing slash, `/var/run` folded into `/run`. */
export function normalizeHostPath(raw: string): string {
  const windows = raw.includes('\\') || /^[a-z]:/i.test(raw) ? windowsPath(raw) : undefined;
  if (windows !== undefined) return windows;
  const out: string[] = [];
  for (const segment of raw.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  if (out[0] === 'var' && out[1] === 'run') out.splice(0, 2, 'run');
  return '/' + out.join('/');
}

/** `path` is `dir` or below it; only `/` itself is "within" `/` (not every path is the root). */
const within = (path: string, dir: string): boolean =>
  dir === '/' ? path === '/' : path === dir || path.startsWith(dir + '/');

const rank: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** How sensitive a normalized host path is, or undefined when it is not. */
export function classifyHostPath(path: string): SensitivePath | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const socket =
    runtimeSocketNames.includes(base) ||
    runtimeSockets.includes(path) ||
    path === 'pipe:docker_engine' ||
    path.startsWith('pipe:containerd-containerd');
  if (socket) {
    return { path, severity: 'critical', what: 'a container runtime socket: control of every container on the node' };
  }
  if (path !== '/' && runtimeSockets.some((socket) => within(socket, path))) {
    return { path, severity: 'critical', what: 'a directory holding the container runtime socket' };
  }
  let best: SensitivePath | undefined;
  for (const entry of sensitivePaths) {
    if (within(path, entry.path) && (!best || entry.path.length > best.path.length)) best = entry;
  }
  if (best?.subPaths && path !== best.path) {
    return { path, severity: best.subPaths, what: `a directory under ${best.path}`, readOnlyLowers: best.readOnlyLowers };
  }
  if (best) return best;
  // A parent of sensitive directories (`/var`, `/opt`) exposes all of them.
  for (const entry of sensitivePaths) {
    if (within(entry.path, path) && (!best || rank[entry.severity] > rank[best.severity])) best = entry;
  }
  return best && { path, severity: best.severity, what: `a parent of ${best.path}, ${best.what}` };
}


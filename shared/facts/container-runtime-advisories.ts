// Container-runtime versions with known container-escape vulnerabilities, as nodes report them in
// status.nodeInfo.containerRuntimeVersion (`containerd://1.7.11`, `cri-o://1.23.1`, `docker://20.10.7`).
// Each entry cites the advisory and the releases that fixed it. runc's own version is not reported by the
// kubelet: for containerd and Docker the entry names the release that bundled the fixed runc, so a distribution
// that packages runc separately (EKS AMIs do) may be patched anyway; the message says to check `runc --version`.
import { compareVersions } from './kubernetes-versions.ts';

export interface RuntimeAdvisory {
  runtime: 'containerd' | 'cri-o' | 'docker';
  id: string;
  summary: string;
  /** First fixed release in each maintained release line (`major.minor` → version). Versions of a listed line
   * below its fix are affected; lines older than every listed line never got the fix and are affected too;
   * later lines are not judged. */
  fixedIn: Record<string, string>;
  /** First affected version, when older ones are not affected. */
  introducedIn?: string;
  /** Whether the flaw is in runc bundled with the runtime's release builds. */
  viaBundledRunc?: boolean;
  source: string;
}

export const runtimeAdvisories: readonly RuntimeAdvisory[] = [
  {
    runtime: 'containerd',
    id: 'CVE-2024-21626',
    summary: 'runc "Leaky Vessels" file-descriptor leak: a container escape through a crafted working directory or image',
    fixedIn: { '1.6': '1.6.28', '1.7': '1.7.13' },
    viaBundledRunc: true,
    source: 'https://github.com/opencontainers/runc/security/advisories/GHSA-xr7r-f8xq-vfvv; containerd#9723 (v1.6.28) and #9724 (v1.7.13) update the bundled runc to 1.1.12',
  },
  {
    runtime: 'containerd',
    id: 'CVE-2022-23648',
    summary: 'image volume path traversal in the CRI plugin exposes host files to a container',
    fixedIn: { '1.4': '1.4.13', '1.5': '1.5.10', '1.6': '1.6.1' },
    source: 'https://github.com/containerd/containerd/security/advisories/GHSA-crp2-qrr5-8pq7',
  },
  {
    runtime: 'containerd',
    id: 'CVE-2020-15257',
    summary: 'containerd-shim API reachable from host-network containers: root escape to the node',
    fixedIn: { '1.3': '1.3.9', '1.4': '1.4.3' },
    source: 'https://github.com/containerd/containerd/security/advisories/GHSA-36xw-fx78-c5r4 (NCC Group advisory, 2020-11-30)',
  },
  {
    runtime: 'cri-o',
    id: 'CVE-2022-0811',
    summary: '"cr8escape": kernel parameters set through pod sysctls give root on the node',
    fixedIn: { '1.19': '1.19.6', '1.20': '1.20.7', '1.21': '1.21.6', '1.22': '1.22.3', '1.23': '1.23.2' },
    introducedIn: '1.19.0',
    source: 'https://github.com/cri-o/cri-o/security/advisories/GHSA-6x2m-w449-qwx7',
  },
  {
    runtime: 'docker',
    id: 'CVE-2024-21626',
    summary: 'runc "Leaky Vessels" file-descriptor leak: a container escape through a crafted working directory or image',
    fixedIn: { '24.0': '24.0.9', '25.0': '25.0.2' },
    viaBundledRunc: true,
    source: 'https://github.com/opencontainers/runc/security/advisories/GHSA-xr7r-f8xq-vfvv; moby#47270 (24.0 backport), Docker 25.0.2 release',
  },
];

export interface RuntimeVersion {
  runtime: string;
  version: string;
}

/** `containerd://1.7.11-1.amzn2.0.1` → `{ runtime: 'containerd', version: '1.7.11' }`. */
export function parseRuntimeVersion(text: unknown): RuntimeVersion | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^([a-z0-9-]+):\/\/v?(\d+\.\d+(?:\.\d+)?)/i.exec(text.trim());
  if (!match) return undefined;
  return { runtime: match[1]!.toLowerCase(), version: match[2]! };
}

function lineOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** The advisories that apply to a runtime version. */
export function advisoriesFor(runtime: RuntimeVersion): RuntimeAdvisory[] {
  return runtimeAdvisories.filter((advisory) => {
    if (advisory.runtime !== runtime.runtime) return false;
    if (advisory.introducedIn && compareVersions(runtime.version, advisory.introducedIn) < 0) return false;
    const fix = advisory.fixedIn[lineOf(runtime.version)];
    if (fix) return compareVersions(runtime.version, fix) < 0;
    const lines = Object.keys(advisory.fixedIn);
    return lines.every((line) => compareVersions(lineOf(runtime.version), line) < 0);
  });
}

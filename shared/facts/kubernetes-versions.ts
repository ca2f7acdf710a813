// Kubernetes and EKS version facts: parsing, the version-skew policy, and the EKS support calendar used when the
// connector could not read DescribeClusterVersions.
import type { VersionSupport } from '../model/cluster.ts';

export interface MinorVersion {
  major: number;
  minor: number;
}

/** `1.29`, `v1.29.3-eks-ae9a62a`, `1.29.3` → `{ major: 1, minor: 29 }`; anything else → undefined. */
export function parseMinorVersion(text: unknown): MinorVersion | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^v?(\d+)\.(\d+)(?:\.|$|[-+])/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

export function formatMinor(version: MinorVersion): string {
  return `${version.major}.${version.minor}`;
}

/** How many minor versions `older` is behind `newer` (negative when it is ahead); undefined across majors. */
function minorsBehind(newer: MinorVersion, older: MinorVersion): number | undefined {
  if (newer.major !== older.major) return undefined;
  return newer.minor - older.minor;
}

/** Kubernetes version-skew policy: since 1.28 a kubelet may be up to three minor versions older than the API
 * server (two before), and never newer. https://kubernetes.io/releases/version-skew-policy/ */
export function maxKubeletSkew(controlPlane: MinorVersion): number {
  return controlPlane.major === 1 && controlPlane.minor >= 28 ? 3 : 2;
}

export type Skew = { kind: 'behind' | 'unsupported'; behind: number } | undefined;

/** The skew of a node (or node group) version against the control plane, or undefined when they match. */
export function skewOf(controlPlane: MinorVersion, node: MinorVersion): Skew {
  const behind = minorsBehind(controlPlane, node);
  if (behind === undefined) return { kind: 'unsupported', behind: Number.NaN };
  if (behind === 0) return undefined;
  if (behind < 0 || behind > maxKubeletSkew(controlPlane)) return { kind: 'unsupported', behind };
  return { kind: 'behind', behind };
}

/** EKS standard and extended support dates (UTC), from the EKS user guide's `kubernetes-versions.adoc`. The API
 * (`DescribeClusterVersions`) wins when the connector could read it; this is the fallback. 1.35 comes from a
 * secondary source (aws-samples apex-skills cluster-lifecycle page, verified 2026-04-24). */
const eksSupportCalendar: readonly Required<Pick<VersionSupport, 'clusterVersion' | 'endOfStandardSupportDate' | 'endOfExtendedSupportDate'>>[] = [
  { clusterVersion: '1.28', endOfStandardSupportDate: '2024-11-26', endOfExtendedSupportDate: '2025-11-26' },
  { clusterVersion: '1.29', endOfStandardSupportDate: '2025-03-23', endOfExtendedSupportDate: '2026-03-23' },
  { clusterVersion: '1.30', endOfStandardSupportDate: '2025-07-23', endOfExtendedSupportDate: '2026-07-23' },
  { clusterVersion: '1.31', endOfStandardSupportDate: '2025-11-26', endOfExtendedSupportDate: '2026-11-26' },
  { clusterVersion: '1.32', endOfStandardSupportDate: '2026-03-23', endOfExtendedSupportDate: '2027-03-23' },
  { clusterVersion: '1.33', endOfStandardSupportDate: '2026-07-29', endOfExtendedSupportDate: '2027-07-29' },
  { clusterVersion: '1.34', endOfStandardSupportDate: '2026-12-02', endOfExtendedSupportDate: '2027-12-02' },
  { clusterVersion: '1.35', endOfStandardSupportDate: '2027-03-27', endOfExtendedSupportDate: '2028-03-27' },
];

export interface SupportWindow {
  clusterVersion: string;
  endOfStandardSupportDate?: string;
  endOfExtendedSupportDate?: string;
  /** `standard-support | extended-support | unsupported` when the API said so. */
  status?: string;
  source: 'api' | 'calendar' | 'older-than-calendar';
}

/** The support window of a cluster version: the API's answer when it is about this version, else the calendar.
 * A version older than the oldest calendar entry has left extended support (end dates only grow with versions). */
export function supportWindowOf(version: string, fromApi: VersionSupport | undefined): SupportWindow | undefined {
  const wanted = parseMinorVersion(version);
  if (!wanted) return undefined;
  if (fromApi && parseMinorVersion(fromApi.clusterVersion)?.minor === wanted.minor && (fromApi.endOfStandardSupportDate || fromApi.status)) {
    const window: SupportWindow = { clusterVersion: formatMinor(wanted), source: 'api' };
    if (fromApi.endOfStandardSupportDate) window.endOfStandardSupportDate = fromApi.endOfStandardSupportDate;
    if (fromApi.endOfExtendedSupportDate) window.endOfExtendedSupportDate = fromApi.endOfExtendedSupportDate;
    if (fromApi.status) window.status = fromApi.status;
    return window;
  }
  const entry = eksSupportCalendar.find((e) => e.clusterVersion === formatMinor(wanted));
  if (entry) return { ...entry, source: 'calendar' };
  const oldest = parseMinorVersion(eksSupportCalendar[0]!.clusterVersion)!;
  if (wanted.major === oldest.major && wanted.minor < oldest.minor) {
    return { clusterVersion: formatMinor(wanted), source: 'older-than-calendar' };
  }
  return undefined;
}

/** Whole days from `now` until `date` (negative once it has passed); undefined for an unreadable date. */
export function daysUntil(date: string | undefined, now: string): number | undefined {
  if (!date) return undefined;
  const end = Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date);
  const from = Date.parse(now);
  if (Number.isNaN(end) || Number.isNaN(from)) return undefined;
  return Math.floor((end - from) / 86_400_000);
}

/** `v1.19.0-eksbuild.1` → [1, 19, 0, 1]: numeric parts in order, for ordering add-on versions. */
function versionParts(text: string): number[] {
  return (text.match(/\d+/g) ?? []).map(Number);
}

/** Negative when a < b, positive when a > b, 0 when equal (missing parts count as 0). */
export function compareVersions(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

// A point-in-time view of one cluster: its objects by kind, what the EKS API said, and how complete each part is.
import type { ClusterInfo, ClusterRef } from './cluster.ts';
import type { KubeObject } from './kube.ts';

export interface KindCoverage {
  /** True only when every page of the list was read. A partial kind never resolves a finding. */
  complete: boolean;
  count: number;
  /** Why the kind is incomplete: `forbidden: ...`, `failed: ...`, `skipped: ...`, `invalid: ...` (objects of the wrong shape). */
  error?: string;
}

export interface SourceLocation {
  /** The file as given on the command line, or `-` for standard input. */
  file: string;
  /** 1-based line of the object's first line. */
  line: number;
}

export interface Snapshot {
  cluster: ClusterRef;
  /** Facts from the EKS API; absent for kubeconfig and manifest sources. */
  clusterInfo?: ClusterInfo;
  /** Objects by kind (`Deployment`, `ClusterRole`, ...). */
  objects: Partial<Record<string, KubeObject[]>>;
  /** Coverage by kind, plus `eks:<Call>` entries for the EKS API calls. */
  coverage: Record<string, KindCoverage>;
  takenAt: string;
  /** Where each object came from, for manifest sources. */
  locations?: WeakMap<object, SourceLocation>;
}


export interface UnreadKind {
  /** A kind (`Service`) or an EKS API call (`eks:ListAccessEntries`). */
  kind: string;
  reason: string;
}

/** The kinds a scan did not read completely: `unread` failed or was forbidden (the scan is incomplete), `skipped` was
 * left out by configuration (`skipped: ...`, Secrets in strict mode: known and chosen). */
export function unreadKindsOf(coverage: Readonly<Record<string, KindCoverage>>): { unread: UnreadKind[]; skipped: UnreadKind[] } {
  const unread: UnreadKind[] = [];
  const skipped: UnreadKind[] = [];
  for (const [kind, entry] of Object.entries(coverage)) {
    if (entry.complete) continue;
    const reason = entry.error ?? 'failed: not read completely';
    (reason.startsWith('skipped:') ? skipped : unread).push({ kind, reason });
  }
  return { unread, skipped };
}

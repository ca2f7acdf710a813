// The workloads of a namespace as people manage them, and the labels of the pods they create: what selectors,
// network, exposure, policy and attack-path rules are asked about.
import { podTemplateOf } from '../engine/workload.ts';
import { namespaceOf, type SnapshotIndex } from '../engine/snapshot-index.ts';
import { isRecord, workloadKinds, type KubeObject } from '../model/kube.ts';

const podLabelsCache = new WeakMap<KubeObject, Readonly<Record<string, string>>>();

/** The labels of the pods a workload creates. Worked out once per object: selector rules ask for every workload of
 * a namespace once per Service, Ingress and NetworkPolicy (objects are not modified during a run). */
export function podLabelsOf(workload: KubeObject): Readonly<Record<string, string>> {
  let labels = podLabelsCache.get(workload);
  if (!labels) {
    labels = computePodLabels(workload);
    podLabelsCache.set(workload, labels);
  }
  return labels;
}

function computePodLabels(workload: KubeObject): Record<string, string> {
  const labels = podTemplateOf(workload)?.metadata?.labels;
  if (!isRecord(labels)) return {};
  return Object.fromEntries(Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

const workloadsByNamespace = new WeakMap<SnapshotIndex, Map<string, KubeObject[]>>();

/** Top-level workloads grouped by namespace, computed once per snapshot (rules ask for it per object). */
function workloadIndex(index: SnapshotIndex): Map<string, KubeObject[]> {
  let byNamespace = workloadsByNamespace.get(index);
  if (byNamespace) return byNamespace;
  byNamespace = new Map();
  for (const kind of workloadKinds) {
    for (const object of index.all(kind)) {
      const namespace = namespaceOf(object);
      if (!namespace || index.ownerOf(object) !== undefined) continue;
      let list = byNamespace.get(namespace);
      if (!list) byNamespace.set(namespace, (list = []));
      list.push(object);
    }
  }
  workloadsByNamespace.set(index, byNamespace);
  return byNamespace;
}

/** Workloads of a namespace as people manage them: a pod owned by a Deployment's ReplicaSet is the Deployment. */
export function workloadsIn(index: SnapshotIndex, namespace: string): readonly KubeObject[] {
  return workloadIndex(index).get(namespace) ?? [];
}

/** Namespaces that hold at least one workload, in order. */
export function namespacesWithWorkloads(index: SnapshotIndex): string[] {
  return [...workloadIndex(index).keys()].sort();
}

/** `Kind/name` for messages and details. */
export function workloadLabel(workload: KubeObject): string {
  const name = isRecord(workload.metadata) && typeof workload.metadata.name === 'string' ? workload.metadata.name : '';
  return `${String(workload.kind)}/${name}`;
}

// Which workloads a label selector picks: NetworkPolicy podSelectors, Service selectors, shared by network,
// exposure and attack-path rules.
import { arrayField, podTemplateOf, recordField, stringField } from '../../engine/index.ts';
import type { SnapshotIndex } from '../../engine/snapshot-index.ts';
import { namespaceOf } from '../../engine/snapshot-index.ts';
import { isRecord, workloadKinds, type KubeObject } from '../../model/kube.ts';

/** Namespaces run by the platform (EKS add-ons need host access there); network, policy and secrets checks skip
 * them so that findings are about what the cluster's users deploy. */
export const systemNamespaces: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

export function isSystemNamespace(namespace: string | undefined): boolean {
  return namespace !== undefined && systemNamespaces.has(namespace);
}

/** True when a `metav1.LabelSelector` (matchLabels + matchExpressions) selects these labels. An empty selector
 * selects everything; a malformed one selects nothing. */
export function labelSelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isRecord(selector)) return false;
  const matchLabels = recordField(selector, 'matchLabels') ?? {};
  for (const [key, value] of Object.entries(matchLabels)) if (labels[key] !== value) return false;
  for (const expression of arrayField(selector, 'matchExpressions')) {
    const key = stringField(expression, 'key');
    const operator = stringField(expression, 'operator');
    const values = arrayField(expression, 'values').filter((v): v is string => typeof v === 'string');
    if (key === undefined) return false;
    const has = Object.hasOwn(labels, key);
    if (operator === 'In' && !(has && values.includes(labels[key]!))) return false;
    if (operator === 'NotIn' && has && values.includes(labels[key]!)) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
    if (operator !== 'In' && operator !== 'NotIn' && operator !== 'Exists' && operator !== 'DoesNotExist') return false;
  }
  return true;
}

/** True when a selector has no terms (it selects every pod of its namespace). */
export function isEmptySelector(selector: unknown): boolean {
  if (!isRecord(selector)) return false;
  return Object.keys(recordField(selector, 'matchLabels') ?? {}).length === 0 && arrayField(selector, 'matchExpressions').length === 0;
}

/** A Service's `spec.selector`: a plain map that must be non-empty to select anything. */
export function serviceSelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isRecord(selector) || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

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

/** True when the kind's list was attempted and is incomplete: absence of objects then proves nothing. */
export function coverageIncomplete(index: SnapshotIndex, kind: string): boolean {
  const coverage = index.coverage[kind];
  return coverage !== undefined && !coverage.complete;
}

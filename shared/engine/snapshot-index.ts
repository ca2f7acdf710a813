// Indexed, read-only access to a snapshot for rules that look across objects.
import type { ClusterInfo, ClusterRef } from '../model/cluster.ts';
import { isRecord, refKey, type KubeObject, type OwnerReference } from '../model/kube.ts';
import type { KindCoverage, Snapshot } from '../model/snapshot.ts';

function metaOf(object: KubeObject): Record<string, unknown> {
  return isRecord(object.metadata) ? object.metadata : {};
}

export function nameOf(object: KubeObject): string {
  const name = metaOf(object).name;
  return typeof name === 'string' ? name : '';
}

export function namespaceOf(object: KubeObject): string | undefined {
  const namespace = metaOf(object).namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

export function labelsOf(object: KubeObject): Record<string, string> {
  const labels = metaOf(object).labels;
  return isRecord(labels) ? (labels as Record<string, string>) : {};
}

export function annotationsOf(object: KubeObject): Record<string, string> {
  const annotations = metaOf(object).annotations;
  return isRecord(annotations) ? (annotations as Record<string, string>) : {};
}

export function ownerReferencesOf(object: KubeObject): OwnerReference[] {
  const owners = metaOf(object).ownerReferences;
  return Array.isArray(owners) ? owners.filter(isRecord) : [];
}

export class SnapshotIndex {
  readonly cluster: ClusterRef;
  readonly clusterInfo: ClusterInfo | undefined;
  readonly coverage: Readonly<Record<string, KindCoverage>>;
  readonly takenAt: string;
  readonly #snapshot: Snapshot;
  readonly #byKey = new Map<string, KubeObject>();
  readonly #byNamespace = new Map<string, Map<string, KubeObject[]>>();
  /** ownerOf's answers (null: no owner in the snapshot): the engine and the workload index both ask for every pod. */
  readonly #owners = new WeakMap<KubeObject, KubeObject | null>();

  constructor(snapshot: Snapshot) {
    this.#snapshot = snapshot;
    this.cluster = snapshot.cluster;
    this.clusterInfo = snapshot.clusterInfo;
    this.coverage = snapshot.coverage;
    this.takenAt = snapshot.takenAt;
    for (const [kind, objects] of Object.entries(snapshot.objects)) {
      for (const object of objects ?? []) {
        this.#byKey.set(refKey({ kind, namespace: namespaceOf(object), name: nameOf(object) }), object);
      }
    }
  }

  /** Every object of a kind, in snapshot order. */
  all(kind: string): readonly KubeObject[] {
    return this.#snapshot.objects[kind] ?? [];
  }

  /** The objects of a kind in one namespace, in snapshot order: for rules that look around an object (the Services
   * in front of a workload, say) without walking the whole cluster for each object. Indexed on first use. */
  inNamespace(kind: string, namespace: string): readonly KubeObject[] {
    let byNamespace = this.#byNamespace.get(kind);
    if (!byNamespace) {
      byNamespace = new Map();
      for (const object of this.all(kind)) {
        const key = namespaceOf(object) ?? '';
        let list = byNamespace.get(key);
        if (!list) byNamespace.set(key, (list = []));
        list.push(object);
      }
      this.#byNamespace.set(kind, byNamespace);
    }
    return byNamespace.get(namespace) ?? [];
  }

  kinds(): string[] {
    return Object.keys(this.#snapshot.objects);
  }

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.#byKey.get(refKey({ kind, namespace, name }));
  }

  /** The controller that owns this object, when it is in the snapshot. */
  ownerOf(object: KubeObject): KubeObject | undefined {
    const known = this.#owners.get(object);
    if (known !== undefined) return known ?? undefined;
    const owner = this.#findOwner(object);
    this.#owners.set(object, owner ?? null);
    return owner;
  }

  #findOwner(object: KubeObject): KubeObject | undefined {
    const namespace = namespaceOf(object);
    for (const owner of ownerReferencesOf(object)) {
      if (typeof owner.kind !== 'string' || typeof owner.name !== 'string') continue;
      const found = this.get(owner.kind, namespace, owner.name);
      if (!found) continue;
      const uid = metaOf(found).uid;
      if (owner.uid && typeof uid === 'string' && uid !== owner.uid) continue;
      return found;
    }
    return undefined;
  }

  /** Namespace names: those listed, plus those objects live in. */
  namespaces(): string[] {
    const names = new Set(this.all('Namespace').map(nameOf).filter(Boolean));
    for (const objects of Object.values(this.#snapshot.objects)) {
      for (const object of objects ?? []) {
        const namespace = namespaceOf(object);
        if (namespace) names.add(namespace);
      }
    }
    return [...names].sort();
  }

  locationOf(object: KubeObject): { file: string; line: number } | undefined {
    return this.#snapshot.locations?.get(object);
  }
}

/** True when the kind's list was attempted and is incomplete: absence of objects then proves nothing. */
export function coverageIncomplete(index: SnapshotIndex, kind: string): boolean {
  const coverage = index.coverage[kind];
  return coverage !== undefined && !coverage.complete;
}

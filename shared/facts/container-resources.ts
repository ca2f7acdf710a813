// The CPU and memory requests and limits a container ends up with: its own, the pod's, or its namespace's defaults.
import {
  arrayField,
  containersOf,
  namespaceOf,
  podTemplateOf,
  recordField,
  stringField,
  type ContainerRef,
  type SnapshotIndex,
} from '../engine/index.ts';
import type { KubeObject } from '../model/kube.ts';

export const resourceNames = ['cpu', 'memory'] as const;
export type ResourceName = (typeof resourceNames)[number];
export type ResourceKind = 'limits' | 'requests';

function hasQuantity(record: Record<string, unknown> | undefined, name: ResourceName): boolean {
  const value = record?.[name];
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
}

/** Resources a LimitRange of the object's namespace fills in for containers that leave them out. */
function namespaceDefaults(object: KubeObject, snapshot: SnapshotIndex): Record<ResourceKind, Set<ResourceName>> {
  const out = { limits: new Set<ResourceName>(), requests: new Set<ResourceName>() };
  // inNamespace files objects without a namespace under '': those LimitRanges apply to objects without one.
  for (const limitRange of snapshot.inNamespace('LimitRange', namespaceOf(object) ?? '')) {
    for (const item of arrayField(recordField(limitRange, 'spec'), 'limits')) {
      if (stringField(item, 'type') !== 'Container') continue;
      for (const name of resourceNames) {
        // A default limit is also the default request when no defaultRequest is given.
        if (hasQuantity(recordField(item, 'default'), name)) {
          out.limits.add(name);
          out.requests.add(name);
        }
        if (hasQuantity(recordField(item, 'defaultRequest'), name)) out.requests.add(name);
      }
    }
  }
  return out;
}

export interface ContainerResources {
  ref: ContainerRef;
  limits: Record<string, unknown> | undefined;
  requests: Record<string, unknown> | undefined;
  missing: ResourceName[];
}

/**
 * Containers (regular and init; ephemeral ones cannot have resources) that end up without a `kind` for CPU or
 * memory. A request left out defaults to the limit, and pod-level resources cover every container.
 */
export function missingResources(object: KubeObject, kind: ResourceKind, snapshot: SnapshotIndex): ContainerResources[] {
  const template = podTemplateOf(object);
  if (!template) return [];
  const defaults = namespaceDefaults(object, snapshot)[kind];
  const pod = recordField(template.spec, 'resources');
  const out: ContainerResources[] = [];
  for (const ref of containersOf(object)) {
    if (ref.type === 'ephemeralContainers') continue;
    const resources = recordField(ref.container, 'resources');
    const limits = recordField(resources, 'limits');
    const requests = recordField(resources, 'requests');
    const missing = resourceNames.filter((name) => {
      if (defaults.has(name) || hasQuantity(limits, name) || hasQuantity(recordField(pod, 'limits'), name)) return false;
      if (kind === 'limits') return true;
      return !hasQuantity(requests, name) && !hasQuantity(recordField(pod, 'requests'), name);
    });
    if (missing.length > 0) out.push({ ref, limits, requests, missing });
  }
  return out;
}

export function describeResources(missing: readonly ResourceName[]): string {
  return missing.map((name) => (name === 'cpu' ? 'CPU' : 'memory')).join(' or ');
}

export function quantityOf(record: Record<string, unknown> | undefined, name: ResourceName): string | number | undefined {
  return hasQuantity(record, name) ? (record![name] as string | number) : undefined;
}

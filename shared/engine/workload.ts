// The one place that knows where each workload kind keeps its pod template and containers.
import { isRecord, workloadKinds, type KubeObject, type WorkloadKind } from '../model/kube.ts';
import { getIn, toJsonPath, toPointer, type PathSegment } from './paths.ts';

const podSpecPaths: Record<WorkloadKind, readonly PathSegment[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const workloadKindSet: ReadonlySet<string> = new Set(workloadKinds);

export function isWorkload(object: KubeObject): boolean {
  return typeof object.kind === 'string' && workloadKindSet.has(object.kind);
}

export interface PodTemplate {
  /** The pod spec (always an object; an absent or malformed spec yields no template). */
  spec: Record<string, unknown>;
  /** Segments from the owning object's root to the pod spec. */
  specSegments: readonly PathSegment[];
  /** The pod's metadata: the object's own for a Pod, the template's otherwise (may be absent). */
  metadata: Record<string, unknown> | undefined;
  metadataSegments: readonly PathSegment[];
}

/** The pod spec of any workload kind, or undefined for other kinds and malformed objects. */
export function podTemplateOf(object: KubeObject): PodTemplate | undefined {
  if (!isWorkload(object)) return undefined;
  const specSegments = podSpecPaths[object.kind as WorkloadKind];
  const spec = getIn(object, specSegments);
  if (!isRecord(spec)) return undefined;
  const metadataSegments = [...specSegments.slice(0, -1), 'metadata'];
  const metadata = getIn(object, metadataSegments);
  return { spec, specSegments, metadata: isRecord(metadata) ? metadata : undefined, metadataSegments };
}

const containerTypes = ['initContainers', 'containers', 'ephemeralContainers'] as const;
export type ContainerType = (typeof containerTypes)[number];

export interface ContainerRef {
  readonly container: Record<string, unknown>;
  /** The container's name ('' when missing). */
  readonly name: string;
  readonly type: ContainerType;
  readonly index: number;
  /** Segments from the owning object's root to this container. */
  readonly segments: readonly PathSegment[];
  /** Dotted JSON path, e.g. `spec.template.spec.containers[0]`. */
  readonly path: string;
  /** JSON pointer, e.g. `/spec/template/spec/containers/0`. */
  readonly pointer: string;
}

// A dozen rules ask for the same object's containers: built once per object (objects are not mutated during an
// evaluation; a changed object is a new object, e.g. a fix applied to a clone). The array, each ref and its segments
// are frozen because every caller shares them.
const containersCache = new WeakMap<KubeObject, readonly ContainerRef[]>();

/** Every container of a workload (init, regular and ephemeral), with where it lives in the object. Shared and frozen:
 * copy before changing. */
export function containersOf(object: KubeObject): readonly ContainerRef[] {
  let refs = containersCache.get(object);
  if (!refs) {
    refs = Object.freeze(computeContainers(object));
    containersCache.set(object, refs);
  }
  return refs;
}

function computeContainers(object: KubeObject): ContainerRef[] {
  const template = podTemplateOf(object);
  if (!template) return [];
  const out: ContainerRef[] = [];
  for (const type of containerTypes) {
    const list = template.spec[type];
    if (!Array.isArray(list)) continue;
    list.forEach((container, index) => {
      if (!isRecord(container)) return;
      const segments = Object.freeze([...template.specSegments, type, index]);
      out.push(
        Object.freeze({
          container,
          name: typeof container.name === 'string' ? container.name : '',
          type,
          index,
          segments,
          path: toJsonPath(segments),
          pointer: toPointer(segments),
        }),
      );
    });
  }
  return out;
}

/** Field of a record if it has the expected type. */
export function stringField(record: unknown, key: string): string | undefined {
  const value = isRecord(record) ? record[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function boolField(record: unknown, key: string): boolean | undefined {
  const value = isRecord(record) ? record[key] : undefined;
  return typeof value === 'boolean' ? value : undefined;
}

export function recordField(record: unknown, key: string): Record<string, unknown> | undefined {
  const value = isRecord(record) ? record[key] : undefined;
  return isRecord(value) ? value : undefined;
}

export function arrayField(record: unknown, key: string): unknown[] {
  const value = isRecord(record) ? record[key] : undefined;
  return Array.isArray(value) ? value : [];
}

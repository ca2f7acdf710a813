// What a snapshot keeps of each listed object. Most kinds are kept whole (minus managedFields); these are trimmed:
// - Secret: metadata only (name, namespace, uid, labels, annotations, ownerReferences, creationTimestamp), and the
//   `kubectl.kubernetes.io/last-applied-configuration` annotation dropped because it can hold the secret's data.
//   This holds even when the server ignored the metadata-only Accept header and sent the values.
// - ConfigMap: metadata, key names and `data` values of at most MAX_CONFIGMAP_VALUE characters, held in memory only
//   so that rules can look for credentials (findings name the key, never the value; no value is ever stored or
//   reported); larger values and all `binaryData` are replaced by REDACTED_VALUE. The few configmaps rules read
//   whole (kube-system/aws-auth for IAM mappings, kube-system/amazon-vpc-cni) are kept whole.
// - Pod owned by a controller in the snapshot: a summary (rules judge it through its controller's template).
// - CustomResourceDefinition: name, group, kind and scope (enough to tell which policy engines are installed).
import { isRecord, type KubeObject, type ObjectMeta } from '../model/kube.ts';
import { apiVersionOf, type KindSpec } from './kinds.ts';

export const REDACTED_VALUE = '<redacted by periscope>';
/** Credentials are short; long values (dashboards, scripts) would only cost memory. */
export const MAX_CONFIGMAP_VALUE = 4096;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** ConfigMaps whose values rules need, as `namespace/name`. */
export const configMapsKeptWhole: ReadonlySet<string> = new Set(['kube-system/aws-auth', 'kube-system/amazon-vpc-cni']);

/** Controllers already in the snapshot, so pods they own can be summarised: `kind/namespace/name` → uid. */
export type ControllerIndex = Map<string, string>;

export const controllerKinds: ReadonlySet<string> = new Set([
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'ReplicationController',
]);

/** Kinds whose shaping reads the controller index, so they are listed once every controller kind is. */
export const shapedAfterControllers: ReadonlySet<string> = new Set(['Pod']);

export function controllerKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** The object as the snapshot keeps it, or undefined when the item is not an object. */
export function shapeObject(spec: KindSpec, item: unknown, controllers: ControllerIndex): KubeObject | undefined {
  if (!isRecord(item)) return undefined;
  const meta = isRecord(item.metadata) ? (item.metadata as ObjectMeta) : {};
  const head = { apiVersion: apiVersionOf(spec), kind: spec.kind };
  switch (spec.kind) {
    case 'Secret':
      return { ...head, metadata: identityMeta(meta) };
    case 'ConfigMap':
      return shapeConfigMap(head, item, meta);
    case 'Pod':
      return ownedByKnownController(meta, controllers) ? summarisePod(head, item, meta) : whole(head, item, meta);
    case 'CustomResourceDefinition':
      return shapeCrd(head, item, meta);
    default:
      return whole(head, item, meta);
  }
}

function whole(head: KubeObject, item: Record<string, unknown>, meta: ObjectMeta): KubeObject {
  const { managedFields: _managedFields, ...metadata } = meta;
  return { ...item, ...head, metadata };
}

/** Identity and classification metadata only; no field that can carry an object's content. */
function identityMeta(meta: ObjectMeta): ObjectMeta {
  const kept: ObjectMeta = {};
  for (const key of ['name', 'namespace', 'uid', 'creationTimestamp'] as const) {
    if (typeof meta[key] === 'string') kept[key] = meta[key];
  }
  if (isRecord(meta.labels)) kept.labels = { ...meta.labels };
  if (isRecord(meta.annotations)) {
    const { [LAST_APPLIED]: _lastApplied, ...annotations } = meta.annotations;
    kept.annotations = annotations;
  }
  if (Array.isArray(meta.ownerReferences)) kept.ownerReferences = meta.ownerReferences;
  return kept;
}

function shapeConfigMap(head: KubeObject, item: Record<string, unknown>, meta: ObjectMeta): KubeObject {
  const name = `${String(meta.namespace)}/${String(meta.name)}`;
  if (configMapsKeptWhole.has(name)) return whole(head, item, meta);
  const shaped: KubeObject = { ...head, metadata: identityMeta(meta) };
  if (isRecord(item.data)) {
    shaped.data = Object.fromEntries(
      Object.entries(item.data).map(([key, value]) => [
        key,
        typeof value === 'string' && value.length <= MAX_CONFIGMAP_VALUE ? value : REDACTED_VALUE,
      ]),
    );
  }
  if (isRecord(item.binaryData)) {
    shaped.binaryData = Object.fromEntries(Object.keys(item.binaryData).map((key) => [key, REDACTED_VALUE]));
  }
  if (typeof item.immutable === 'boolean') shaped.immutable = item.immutable;
  return shaped;
}

function ownedByKnownController(meta: ObjectMeta, controllers: ControllerIndex): boolean {
  if (!Array.isArray(meta.ownerReferences) || typeof meta.namespace !== 'string') return false;
  return meta.ownerReferences.some(
    (owner) =>
      isRecord(owner) &&
      typeof owner.kind === 'string' &&
      typeof owner.name === 'string' &&
      controllers.get(controllerKey(owner.kind, meta.namespace as string, owner.name)) === owner.uid,
  );
}

/** What rules may still ask of a replica: who it is, who owns it, which identity and node it runs with. */
function summarisePod(head: KubeObject, item: Record<string, unknown>, meta: ObjectMeta): KubeObject {
  const metadata: ObjectMeta = {};
  for (const key of ['name', 'namespace', 'uid'] as const) if (typeof meta[key] === 'string') metadata[key] = meta[key];
  if (isRecord(meta.labels)) metadata.labels = meta.labels;
  if (Array.isArray(meta.ownerReferences)) metadata.ownerReferences = meta.ownerReferences;
  const spec: Record<string, unknown> = {};
  const podSpec = isRecord(item.spec) ? item.spec : {};
  if (typeof podSpec.serviceAccountName === 'string') spec.serviceAccountName = podSpec.serviceAccountName;
  if (typeof podSpec.nodeName === 'string') spec.nodeName = podSpec.nodeName;
  const status = isRecord(item.status) && typeof item.status.phase === 'string' ? { phase: item.status.phase } : {};
  return { ...head, metadata, spec, status };
}

function shapeCrd(head: KubeObject, item: Record<string, unknown>, meta: ObjectMeta): KubeObject {
  const spec = isRecord(item.spec) ? item.spec : {};
  const names = isRecord(spec.names) ? spec.names : {};
  const metadata: ObjectMeta = {};
  for (const key of ['name', 'uid', 'creationTimestamp'] as const) if (typeof meta[key] === 'string') metadata[key] = meta[key];
  if (isRecord(meta.labels)) metadata.labels = meta.labels;
  return {
    ...head,
    metadata,
    spec: { group: spec.group, scope: spec.scope, names: { kind: names.kind, plural: names.plural } },
  };
}

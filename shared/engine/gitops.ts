// The GitOps source of an object: Argo CD and Flux label or annotate what they apply with the Application,
// Kustomization or HelmRelease that owns it, so a finding can point at the repository instead of the cluster.
import type { GitOpsSource } from '../model/finding.ts';
import { isRecord, type KubeObject } from '../model/kube.ts';
import { annotationsOf, labelsOf, type SnapshotIndex } from './snapshot-index.ts';

const trackingId = 'argocd.argoproj.io/tracking-id';
const argoInstance = 'argocd.argoproj.io/instance';
const instance = 'app.kubernetes.io/instance';
const fluxKinds = [
  { prefix: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization' },
  { prefix: 'helm.toolkit.fluxcd.io', kind: 'HelmRelease' },
] as const;

const field = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function find(index: SnapshotIndex, kind: string, group: string, namespace: string | undefined, name: string): KubeObject | undefined {
  return index
    .all(kind)
    .find(
      (object) =>
        String(object.apiVersion ?? '').startsWith(`${group}/`) &&
        field(object, 'metadata', 'name') === name &&
        (namespace === undefined || field(object, 'metadata', 'namespace') === namespace),
    );
}

/** Repository and path of an Argo CD Application (its first source when it has several). */
function argoLocation(application: KubeObject | undefined): Pick<GitOpsSource, 'repository' | 'path'> {
  const source = field(application, 'spec', 'source') ?? (field(application, 'spec', 'sources') as unknown[] | undefined)?.[0];
  const repository = text(field(source, 'repoURL'));
  const path = text(field(source, 'path')) ?? text(field(source, 'chart'));
  return { ...(repository ? { repository } : {}), ...(path ? { path } : {}) };
}

/** Repository and path of a Flux Kustomization or HelmRelease, through its source object. */
function fluxLocation(index: SnapshotIndex, owner: KubeObject | undefined, kind: string): Pick<GitOpsSource, 'repository' | 'path'> {
  if (!owner) return {};
  const sourceRef = kind === 'Kustomization' ? field(owner, 'spec', 'sourceRef') : field(owner, 'spec', 'chart', 'spec', 'sourceRef');
  const path = text(kind === 'Kustomization' ? field(owner, 'spec', 'path') : field(owner, 'spec', 'chart', 'spec', 'chart'));
  const sourceKind = text(field(sourceRef, 'kind'));
  const sourceName = text(field(sourceRef, 'name'));
  const namespace = text(field(sourceRef, 'namespace')) ?? text(field(owner, 'metadata', 'namespace'));
  const source = sourceKind && sourceName ? find(index, sourceKind, 'source.toolkit.fluxcd.io', namespace, sourceName) : undefined;
  const repository = text(field(source, 'spec', 'url'));
  return { ...(repository ? { repository } : {}), ...(path ? { path } : {}) };
}

function argoSource(index: SnapshotIndex, object: KubeObject): GitOpsSource | undefined {
  const annotations = annotationsOf(object);
  const labels = labelsOf(object);
  let via: string;
  let application: string | undefined;
  let namespace: string | undefined;
  if (text(annotations[trackingId])) {
    // `<app>:<group>/<kind>:<namespace>/<name>`; an Application outside Argo CD's namespace is `<namespace>_<app>`.
    via = trackingId;
    application = annotations[trackingId]!.split(':')[0];
  } else if (text(labels[argoInstance])) {
    via = argoInstance;
    application = labels[argoInstance];
  } else {
    // Helm sets app.kubernetes.io/instance too: it names an Argo CD Application only beside an Argo CD marker.
    const argoMarked = [...Object.keys(annotations), ...Object.keys(labels)].some((key) => key.startsWith('argocd.argoproj.io/'));
    if (!text(labels[instance]) || !argoMarked) return undefined;
    via = instance;
    application = labels[instance];
  }
  if (!application) return undefined;
  const separator = application.indexOf('_');
  if (separator > 0) {
    namespace = application.slice(0, separator);
    application = application.slice(separator + 1);
  }
  const location = argoLocation(find(index, 'Application', 'argoproj.io', namespace, application));
  return { tool: 'argocd', kind: 'Application', ...(namespace ? { namespace } : {}), name: application, ...location, via };
}

function fluxSource(index: SnapshotIndex, object: KubeObject): GitOpsSource | undefined {
  const labels = labelsOf(object);
  for (const { prefix, kind } of fluxKinds) {
    const name = text(labels[`${prefix}/name`]);
    if (!name) continue;
    const namespace = text(labels[`${prefix}/namespace`]);
    const location = fluxLocation(index, find(index, kind, prefix, namespace, name), kind);
    return { tool: 'flux', kind, ...(namespace ? { namespace } : {}), name, ...location, via: `${prefix}/name` };
  }
  return undefined;
}

export function gitOpsSourceOf(index: SnapshotIndex, object: KubeObject): GitOpsSource | undefined {
  return argoSource(index, object) ?? fluxSource(index, object);
}

/** `Argo CD Application argocd/shop (https://github.com/acme/deploy, path apps/shop)`, for reports and tickets. */
export function describeGitOpsSource(source: GitOpsSource): string {
  const tool = source.tool === 'argocd' ? 'Argo CD' : 'Flux';
  const where = [source.repository, source.path ? `path ${source.path}` : undefined].filter(Boolean).join(', ');
  return `${tool} ${source.kind} ${source.namespace ? `${source.namespace}/` : ''}${source.name}${where ? ` (${where})` : ''}`;
}

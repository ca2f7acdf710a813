// A fix for an object Periscope cannot edit in its file (Helm output on standard input, a kustomize overlay's patch
// file), written as a kustomization `patches` entry with an inline JSON 6902 patch: kustomize, or Helm through a
// kustomize post-renderer, applies it where the object is built.
import { parse, stringify } from 'yaml';
import type { JsonPatchOp } from '../model/finding.ts';
import type { KubeObject } from '../model/kube.ts';

export interface ObjectPatch {
  object: KubeObject;
  patch: readonly JsonPatchOp[];
}

/** A kustomization fragment: one `patches` entry per object, each targeting it by group, version, kind and name. */
export function kustomizePatches(entries: readonly ObjectPatch[]): string {
  const patches = entries.map(({ object, patch }) => {
    const apiVersion = object.apiVersion ?? '';
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const metadata = (object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    const target = {
      ...(group ? { group } : {}),
      version,
      kind: object.kind,
      ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
      name: metadata.name,
    };
    return { target, patch: stringify(patch, { lineWidth: 0 }) };
  });
  return stringify({ patches }, { lineWidth: 0 });
}

/**
 * The files a kustomization names as patches (`patches[].path`, `patchesStrategicMerge`, `patchesJson6902[].path`),
 * as written: their objects are fragments kustomize merges into others, so a fix belongs in the built object.
 */
export function kustomizationPatchFiles(text: string): string[] {
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    return [];
  }
  if (typeof value !== 'object' || value === null) return [];
  const { patches, patchesStrategicMerge, patchesJson6902 } = value as Record<string, unknown>;
  const paths = (list: unknown): string[] =>
    Array.isArray(list)
      ? list.flatMap((entry) => (typeof entry === 'string' && !entry.includes('\n') ? [entry] : typeof (entry as { path?: unknown } | null)?.path === 'string' ? [(entry as { path: string }).path] : []))
      : [];
  return [...paths(patches), ...paths(patchesStrategicMerge), ...paths(patchesJson6902)];
}

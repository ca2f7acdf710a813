// Manifest files of a synthetic cluster, written as a stream (never held whole): a multi-document YAML file of
// `kubectl get -o yaml`-like documents, and one `List` JSON document as `kubectl get -o json` prints it (apiVersion,
// items, kind: the list's kind comes after its items). Same objects as the emulator serves for the same profile.
import { createWriteStream } from 'node:fs';
import { stringify } from 'yaml';
import type { KubeObject } from '../shared/model/kube.ts';
import { syntheticObjects, type ClusterProfile } from '../shared/sandbox/synthetic/cluster.ts';

export type ManifestFormat = 'yaml' | 'json';

export interface WrittenManifests {
  objects: number;
  bytes: number;
}

/** Writes the objects to `file`; a YAML file stops at the first document past `maxBytes`, when given. */
export async function writeManifests(file: string, format: ManifestFormat, profile: ClusterProfile, maxBytes = Infinity): Promise<WrittenManifests> {
  const out = createWriteStream(file);
  const written: WrittenManifests = { objects: 0, bytes: 0 };
  const write = async (text: string): Promise<void> => {
    written.bytes += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  if (format === 'json') await write('{\n "apiVersion": "v1",\n "items": [\n');
  for (const object of syntheticObjects(profile)) {
    if (written.bytes >= maxBytes) break;
    await write(format === 'json' ? `${written.objects > 0 ? ',\n' : ''}${JSON.stringify(object as KubeObject, null, 1)}` : `---\n${stringify(object)}`);
    written.objects += 1;
  }
  if (format === 'json') await write('\n ],\n "kind": "List",\n "metadata": {"resourceVersion": ""}\n}\n');
  out.end();
  await new Promise<void>((resolve) => out.once('finish', () => resolve()));
  return written;
}

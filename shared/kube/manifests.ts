// Kubernetes manifests as text → objects with the line each one starts on, and a Snapshot of them.
// Pure: no file system (the CLI reads files and walks directories).
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode, type Tags } from 'yaml';
import type { ClusterRef } from '../model/cluster.ts';
import { isRecord, type KubeObject } from '../model/kube.ts';
import type { KindCoverage, Snapshot, SourceLocation } from '../model/snapshot.ts';
import { collectedKinds } from './kinds.ts';
import { shapeObject } from './shape.ts';

const secretKind = collectedKinds.find((spec) => spec.kind === 'Secret')!;

/** A Secret manifest holds its values in the clear: keep what a metadata-only listing gives, plus the type (what the
 * Secret is for, never what it holds). */
function secretMetadata(secret: KubeObject): KubeObject {
  const shaped = shapeObject(secretKind, secret, new Map()) ?? { apiVersion: 'v1', kind: 'Secret', metadata: {} };
  return typeof secret.type === 'string' ? { ...shaped, type: secret.type } : shaped;
}

export interface ManifestObject {
  object: KubeObject;
  location: SourceLocation;
}

/** A document or file Periscope could not use; the rest of the input is still scanned. */
export interface ManifestError {
  /** The file as given on the command line, or `-` for standard input. */
  file: string;
  /** 1-based line, when the problem has one. */
  line?: number;
  column?: number;
  message: string;
}

export interface ParsedManifests {
  objects: ManifestObject[];
  errors: ManifestError[];
}

/** `file:line:column: message`, the form editors and terminals turn into links. */
export function formatManifestError(error: ManifestError): string {
  const where = [error.file, error.line, error.column].filter((part) => part !== undefined).join(':');
  return `${where}: ${error.message}`;
}

// The API server reads manifests the way go-yaml v2 does: YAML 1.1 booleans (`yes`, `on`) and octals (`0644`),
// but timestamps and base-60 numbers stay strings. Parsing as YAML 1.2 would see `defaultMode: 0644` as 644.
const goYamlTags = (tags: Tags): Tags =>
  tags.filter((tag) => {
    const name = typeof tag === 'string' ? tag : tag.tag;
    return name !== 'tag:yaml.org,2002:timestamp' && !(typeof tag !== 'string' && tag.format === 'TIME');
  });

/** The first line of a YAML error, without the position the error carries separately. */
function yamlErrorMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '').trim();
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) {
    const missing = ['apiVersion', 'kind'].filter((field) => typeof value[field] !== 'string' || value[field] === '');
    return `a mapping without ${missing.join(' and ')}`;
  }
  return `a ${typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'scalar'}`;
}

function isKubeObject(value: unknown): value is KubeObject {
  return (
    isRecord(value) &&
    typeof value.kind === 'string' &&
    value.kind !== '' &&
    typeof value.apiVersion === 'string' &&
    value.apiVersion !== ''
  );
}

/** `List`, and typed lists such as `PodList` (what the API returns), hold their objects in `items`. */
function isListObject(value: KubeObject): boolean {
  return (value.kind === 'List' || value.kind!.endsWith('List')) && Array.isArray(value.items);
}

/**
 * Parse one file or stream of manifests. Every document and `List` item becomes an object with its 1-based start
 * line; empty documents are skipped; a malformed document or one that is not a Kubernetes object becomes an error
 * naming file and line, and the other documents are still read.
 */
export function parseManifests(text: string, file: string): ParsedManifests {
  const lineCounter = new LineCounter();
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line;
  const objects: ManifestObject[] = [];
  const errors: ManifestError[] = [];
  const documents = parseAllDocuments(text, {
    lineCounter,
    version: '1.1',
    customTags: goYamlTags,
    prettyErrors: true,
  }) as Document.Parsed[];

  const addItems = (list: KubeObject, node: YamlNode | null, listLine: number): void => {
    const itemsNode = isMap(node) ? node.get('items', true) : undefined;
    const itemNodes = isSeq(itemsNode) ? itemsNode.items : [];
    const items = list.items as unknown[];
    // Items of a typed list (`PodList`) carry no kind of their own.
    const itemKind = list.kind === 'List' ? undefined : list.kind!.slice(0, -'List'.length);
    items.forEach((item, index) => {
      const itemNode = itemNodes[index] as YamlNode | undefined;
      const line = itemNode?.range ? lineOf(itemNode.range[0]) : listLine;
      let value = item;
      if (itemKind && isRecord(item) && item.kind === undefined) {
        value = { apiVersion: list.apiVersion, kind: itemKind, ...item };
      }
      add(value, itemNode ?? null, line, `item ${index + 1} of the ${list.kind}`);
    });
  };

  const add = (value: unknown, node: YamlNode | null, line: number, what: string): void => {
    if (value === null || value === undefined) return;
    if (!isKubeObject(value)) {
      errors.push({
        file,
        line,
        message: `${what} is not a Kubernetes object: found ${describe(value)}; every object needs apiVersion and kind`,
      });
      return;
    }
    if (isListObject(value)) {
      addItems(value, node, line);
      return;
    }
    objects.push({ object: value, location: { file, line } });
  };

  for (const document of documents) {
    if (document.errors.length > 0) {
      // The first error is the cause; the ones after it are usually its echoes.
      const [first] = document.errors;
      const position = first!.linePos?.[0];
      errors.push({
        file,
        ...(position ? { line: position.line, column: position.col } : {}),
        message: `invalid YAML: ${yamlErrorMessage(first!.message)}; this document was skipped`,
      });
      continue;
    }
    const contents = document.contents;
    if (contents === null) continue;
    const line = contents.range ? lineOf(contents.range[0]) : 1;
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      errors.push({ file, line, message: `invalid YAML: ${(error as Error).message}; this document was skipped` });
      continue;
    }
    add(value, contents, line, 'this document');
  }
  return { objects, errors };
}

export interface ManifestSnapshotOptions {
  /** What was scanned, as given on the command line (`deploy/`, `-`); it names the cluster `manifests:<path>`. */
  path: string;
  name: string;
  takenAt: string;
  /** Kinds some rule targets. Other kinds stay in the snapshot (cross-object rules read them) but are counted. */
  checkedKinds: ReadonlySet<string>;
  /**
   * Documents or files that could not be read. Any object may be in them, so no kind is complete: a store then keeps
   * the findings of objects it did not see instead of resolving them.
   */
  errors?: readonly ManifestError[];
}

export interface ManifestSnapshot {
  snapshot: Snapshot;
  /** Kinds no rule checks, with how many objects of each were read. */
  uncheckedKinds: Record<string, number>;
}

/**
 * The snapshot of a set of manifests. The files are the whole world: every kind a rule checks is complete, with a
 * count of zero when no file holds one, unless some input could not be read (then none is).
 */
export function manifestSnapshot(objects: readonly ManifestObject[], options: ManifestSnapshotOptions): ManifestSnapshot {
  const cluster: ClusterRef = { id: `manifests:${options.path}`, name: options.name, source: 'manifests' };
  const byKind: Record<string, KubeObject[]> = {};
  const locations = new WeakMap<object, SourceLocation>();
  for (const { object: read, location } of objects) {
    const object = read.kind === 'Secret' && read.apiVersion === 'v1' ? secretMetadata(read) : read;
    (byKind[object.kind!] ??= []).push(object);
    locations.set(object, location);
  }
  const kinds = [...new Set([...options.checkedKinds, ...Object.keys(byKind)])].sort();
  const coverage: Record<string, KindCoverage> = {};
  const uncheckedKinds: Record<string, number> = {};
  const errors = options.errors ?? [];
  const unread =
    errors.length > 0
      ? `failed: ${errors.length} unreadable input(s), first at ${formatManifestError(errors[0]!)}; fix them and scan again`
      : undefined;
  for (const kind of kinds) {
    const count = byKind[kind]?.length ?? 0;
    coverage[kind] = unread ? { complete: false, count, error: unread } : { complete: true, count };
    if (!options.checkedKinds.has(kind)) uncheckedKinds[kind] = count;
  }
  return { snapshot: { cluster, objects: byKind, coverage, takenAt: options.takenAt, locations }, uncheckedKinds };
}

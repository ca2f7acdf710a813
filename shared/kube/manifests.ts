// Kubernetes manifests as text → objects with the line each one starts on, and a Snapshot of them.
// Pure: no file system (the CLI reads files and walks directories).
import { isMap, isSeq, LineCounter, parseAllDocuments, parseDocument, type Document, type Node as YamlNode, type Tags } from 'yaml';
import type { ClusterRef } from '../model/cluster.ts';
import { clusterScopedKinds, isRecord, type KubeObject } from '../model/kube.ts';
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
export const goYamlTags = (tags: Tags): Tags =>
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

/** The names `kustomize build` looks for in a directory, in its order. */
export const kustomizationFileNames = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** A kustomization (`Kustomization`, `Component`) configures kustomize; it is not an object a cluster holds. */
export function isKustomizeConfig(object: KubeObject): boolean {
  return typeof object.apiVersion === 'string' && object.apiVersion.startsWith('kustomize.config.k8s.io/');
}

/** What Periscope reads of a kustomization: its `namespace` and its `resources` (patches and overlays are not applied). */
export interface Kustomization {
  namespace?: string;
  /** The `resources` entries as written (files, directories or URLs), when the kustomization has the field. */
  resources?: string[];
}

/** Parse a kustomization file. It needs no apiVersion or kind (kustomize accepts it without them). */
export function parseKustomization(text: string, file: string): { kustomization?: Kustomization; errors: ManifestError[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, version: '1.1', customTags: goYamlTags, prettyErrors: true });
  const fail = (message: string, offset?: number) => {
    const line = offset === undefined ? undefined : lineCounter.linePos(offset).line;
    return { errors: [{ file, ...(line ? { line } : {}), message }] };
  };
  if (document.errors.length > 0) {
    const [first] = document.errors;
    const position = first!.linePos?.[0];
    return {
      errors: [
        {
          file,
          ...(position ? { line: position.line, column: position.col } : {}),
          message: `invalid YAML in kustomization: ${yamlErrorMessage(first!.message)}; its namespace was not applied`,
        },
      ],
    };
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return fail(`invalid YAML in kustomization: ${(error as Error).message}; its namespace was not applied`);
  }
  if (value === null || value === undefined) return { kustomization: {}, errors: [] };
  if (!isRecord(value)) return fail(`a kustomization must be a mapping, found ${describe(value)}; its namespace was not applied`, 0);
  const offsetOf = (key: string): number | undefined => {
    const node = isMap(document.contents) ? document.contents.items.find((pair) => (pair.key as { value?: unknown } | null)?.value === key) : undefined;
    return (node?.key as YamlNode | undefined)?.range?.[0];
  };
  const kustomization: Kustomization = {};
  const { namespace, resources } = value;
  if (namespace !== undefined && namespace !== null) {
    if (typeof namespace !== 'string') {
      return fail(`the kustomization's namespace must be a string, found ${describe(namespace)}; it was not applied`, offsetOf('namespace'));
    }
    if (namespace !== '') kustomization.namespace = namespace;
  }
  if (resources !== undefined && resources !== null) {
    if (!Array.isArray(resources) || resources.some((entry) => typeof entry !== 'string')) {
      return fail(`the kustomization's resources must be a list of paths; its namespace was not applied`, offsetOf('resources'));
    }
    kustomization.resources = resources as string[];
  }
  return { kustomization, errors: [] };
}

/**
 * What kustomize's namespace transformer (the `namespace:` of a kustomization) does to the objects it builds, without
 * running kustomize:
 * - every object of a namespaced kind gets `metadata.namespace`, replacing any it had; cluster-scoped kinds are left
 *   alone;
 * - in RoleBindings and ClusterRoleBindings, a subject named `default` gets the namespace (its `defaultOnly` mode), and
 *   a ServiceAccount subject that names one of these ServiceAccounts follows it to the new namespace (its name
 *   reference), when the subject has no namespace or the one the ServiceAccount had (`default` when it had none).
 * The objects are copies; their locations stay those of the original objects.
 */
export function applyKustomizeNamespace(objects: readonly ManifestObject[], namespace: string): ManifestObject[] {
  const effective = (ns: unknown): string => (typeof ns === 'string' && ns !== '' ? ns : 'default');
  const accounts = new Map<string, Set<string>>();
  for (const { object } of objects) {
    if (object.kind !== 'ServiceAccount' || !isRecord(object.metadata) || typeof object.metadata.name !== 'string') continue;
    const namespaces = accounts.get(object.metadata.name) ?? new Set<string>();
    namespaces.add(effective(object.metadata.namespace));
    accounts.set(object.metadata.name, namespaces);
  }
  const subjectFollows = (subject: Record<string, unknown>): boolean => {
    if (subject.name === 'default') return true;
    if (subject.kind !== 'ServiceAccount' || typeof subject.name !== 'string') return false;
    const original = accounts.get(subject.name);
    if (!original) return false;
    return subject.namespace === undefined || subject.namespace === null || original.has(effective(subject.namespace));
  };
  return objects.map(({ object, location }) => {
    let result = object;
    if (!clusterScopedKinds.has(object.kind!)) {
      const metadata = isRecord(object.metadata) ? object.metadata : {};
      result = { ...result, metadata: { ...metadata, namespace } };
    }
    if ((object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') && Array.isArray(object.subjects)) {
      const subjects = (object.subjects as unknown[]).map((subject) =>
        isRecord(subject) && subjectFollows(subject) ? { ...subject, namespace } : subject,
      );
      result = { ...result, subjects };
    }
    return { object: result, location };
  });
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
    if (isKustomizeConfig(read)) continue;
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

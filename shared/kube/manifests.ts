// Kubernetes manifests as text (whole or in chunks) → objects with the line each one starts on, and a Snapshot of
// them. Pure: no file system (the CLI reads files and walks directories).
import { Composer, isCollection, isMap, isSeq, LineCounter, Parser, parseDocument, type Document, type Node as YamlNode, type Tags } from 'yaml';
import { documentStarts, PlainScalars, readBlockYaml } from './block-yaml.ts';
import { describeFieldTypes, objectName, wrongFieldTypes } from './field-types.ts';
import type { ClusterRef } from '../model/cluster.ts';
import { clusterScopedKinds, isRecord, type KubeObject } from '../model/kube.ts';
import type { KindCoverage, Snapshot, SourceLocation } from '../model/snapshot.ts';
import { JsonStream, JsonStreamError, type JsonEvent } from './json-stream.ts';
import { collectedKinds } from './kinds.ts';
import { controllerKey, controllerKinds, shapeObject, type ControllerIndex } from './shape.ts';

const secretKind = collectedKinds.find((spec) => spec.kind === 'Secret')!;
const podKind = collectedKinds.find((spec) => spec.kind === 'Pod')!;

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

const plainScalars = new PlainScalars(goYamlTags);

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

/** Where each line starts, for the document being read only: a stream of any length keeps a few lines' offsets. */
class LineStarts {
  private starts: number[] = [];
  /** The line number of starts[0]. */
  private first: number;

  constructor(first = 1) {
    this.first = first;
  }

  readonly add = (offset: number): void => {
    // The parser reports offset 0 again on each chunk until it has consumed a whole token.
    if (this.starts.length === 0 || offset > this.starts.at(-1)!) this.starts.push(offset);
  };

  private indexOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  position(offset: number): { line: number; col: number } {
    const index = this.indexOf(offset);
    return { line: this.first + index, col: offset - (this.starts[index] ?? 0) + 1 };
  }

  /** Drop the lines before the one holding `offset`: nothing before it will be asked for again. */
  forget(offset: number): void {
    const index = this.indexOf(offset);
    if (index > 0) {
      this.starts.splice(0, index);
      this.first += index;
    }
  }
}

/** Text kept for reading a `.yaml` file that starts like JSON (`{`) as YAML after all: flow mappings are YAML too. */
const MAX_JSON_PREFIX = 16 * 2 ** 20;

/** A value's fields, set as JSON.parse sets them: `__proto__` is a field like any other. */
function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const isListKind = (kind: string): boolean => kind === 'List' || kind.endsWith('List');

/** Items of a typed list (`PodList`) carry no kind of their own: the list's kind, without `List`. */
const itemKindOf = (list: KubeObject): string | undefined => (list.kind === 'List' ? undefined : list.kind!.slice(0, -'List'.length));

function withListKind(list: KubeObject, itemKind: string | undefined, item: unknown): unknown {
  return itemKind && isRecord(item) && item.kind === undefined ? { apiVersion: list.apiVersion, kind: itemKind, ...item } : item;
}

/** A pod owned (uid for uid) by a controller read before it: rules judge it through the controller. */
function ownedByReadController(pod: KubeObject, controllers: ControllerIndex): boolean {
  const meta = isRecord(pod.metadata) ? pod.metadata : {};
  if (typeof meta.namespace !== 'string' || !Array.isArray(meta.ownerReferences)) return false;
  return meta.ownerReferences.some(
    (owner) =>
      isRecord(owner) &&
      typeof owner.kind === 'string' &&
      typeof owner.name === 'string' &&
      typeof owner.uid === 'string' &&
      controllers.get(controllerKey(owner.kind, meta.namespace as string, owner.name)) === owner.uid,
  );
}

/**
 * The object as the snapshot keeps it, as soon as it is read, the way the live collector keeps it: a Secret cut to
 * its metadata, `managedFields` (which no rule reads) dropped, and, given the controllers read so far, a pod they own
 * summarised (the live path's summary: identity, owner, service account, node, phase). Controllers are indexed here.
 */
function kept(object: KubeObject, controllers?: ControllerIndex): KubeObject {
  if (object.kind === 'Secret' && object.apiVersion === 'v1') return secretMetadata(object);
  const meta = isRecord(object.metadata) ? object.metadata : undefined;
  if (controllers && meta && controllerKinds.has(object.kind!)) {
    const { namespace, name, uid } = meta;
    if (typeof namespace === 'string' && typeof name === 'string' && typeof uid === 'string') controllers.set(controllerKey(object.kind!, namespace, name), uid);
  }
  if (controllers && object.kind === 'Pod' && object.apiVersion === 'v1' && ownedByReadController(object, controllers)) {
    return shapeObject(podKind, object, controllers)!;
  }
  if (!meta || !Object.hasOwn(meta, 'managedFields')) return object;
  const { managedFields: _managedFields, ...metadata } = meta;
  return { ...object, metadata };
}

/** Options of a ManifestStream. */
export interface ManifestStreamOptions {
  /**
   * Controllers read so far (shared by the files of one scan): pods they own are summarised as they are read, as the
   * live collector does. Leave out when something may still change the objects' namespaces (a kustomization's).
   */
  controllers?: ControllerIndex;
}

export interface ManifestSink {
  object(object: ManifestObject): void;
  error(error: ManifestError): void;
  /** Something to tell the user about an object that is still read: a field of the wrong type (field-types.ts). */
  notice?(notice: ManifestError): void;
}

interface JsonList {
  /** `stream`: a List whose kind came first; `hold`: an object of another kind, which keeps its items; `guess`: the
   * kind comes after the items (kubectl's order): items with a kind of their own are read at once, others held. */
  mode: 'stream' | 'hold' | 'guess';
  held: { value: unknown; line: number; index: number }[];
  index: number;
  readAlone: number;
}

/**
 * Manifests read chunk by chunk, with bounded memory: YAML one document at a time (the yaml Parser and Composer
 * fed incrementally), JSON one top-level value at a time and a List's `items` one item at a time. Every document
 * and `List` item becomes an object with its 1-based start line; empty documents are skipped; a malformed document
 * or one that is not a Kubernetes object becomes an error naming file and line, and the other documents are still
 * read (in JSON, the rest of the file after a syntax error cannot be, and is reported skipped).
 */
export class ManifestStream {
  private readonly file: string;
  private readonly sink: ManifestSink;
  private mode: 'sniff' | 'json' | 'yaml' | 'failed' = 'sniff';
  private sniffed = '';
  /** The line the next YAML document starts on. */
  private yamlLine = 1;
  private pendingText = '';
  private json?: JsonStream;
  /** What was fed to the JSON reader while nothing was reported (objects or errors), to read it as YAML if it
   * is not JSON after all. */
  private prefix: string[] | undefined = [];
  private prefixLength = 0;
  private head: Record<string, unknown> = {};
  private headLine = 1;
  private list?: JsonList;

  private readonly controllers: ControllerIndex | undefined;

  constructor(file: string, sink: ManifestSink, options: ManifestStreamOptions = {}) {
    this.file = file;
    this.sink = sink;
    this.controllers = options.controllers;
  }

  write(chunk: string): void {
    if (this.mode === 'sniff') {
      this.sniffed += chunk;
      const first = /[^\s\uFEFF]/.exec(this.sniffed);
      if (!first) return;
      const text = this.sniffed;
      this.sniffed = '';
      if (first[0] === '{' || first[0] === '[') {
        this.mode = 'json';
        this.json = new JsonStream((event) => this.jsonEvent(event));
        this.writeJson(text.slice(first.index), false);
      } else {
        this.startYaml();
        this.writeYaml(text, true);
      }
      return;
    }
    if (this.mode === 'json') this.writeJson(chunk, false);
    else if (this.mode === 'yaml') this.writeYaml(chunk, true);
  }

  end(): void {
    if (this.mode === 'json') this.writeJson('', true);
    else if (this.mode === 'yaml') this.writeYaml('', false);
  }

  private object(object: KubeObject, line: number): void {
    this.prefix = undefined;
    this.sink.object({ object: kept(object, this.controllers), location: { file: this.file, line } });
  }

  private error(error: Omit<ManifestError, 'file'>): void {
    this.prefix = undefined;
    this.sink.error({ file: this.file, ...error });
  }

  /** A document or item read: an object, the items of a List, or an error naming what it is instead. `itemLine`
   * gives the line of a List's item by its index, where known. */
  private accept(value: unknown, line: number, what: string, itemLine?: (index: number) => number | undefined, node: YamlNode | null = null, lines?: LineStarts): void {
    if (value === null || value === undefined) return;
    if (!isKubeObject(value)) {
      this.error({ line, message: `${what} is not a Kubernetes object: found ${describe(value)}; every object needs apiVersion and kind` });
      return;
    }
    if (!isListObject(value)) {
      if (this.sink.notice) {
        // The API server would refuse such an object; the rules judge it as written (a string "true" is not true),
        // and the user is told where and what.
        const problems = wrongFieldTypes(value);
        if (problems.length > 0) {
          this.sink.notice({ file: this.file, line, message: `${objectName(value)}: ${describeFieldTypes(problems)}; the API server would refuse it, its fields were judged as written` });
        }
      }
      this.object(value, line);
      return;
    }
    const itemsNode = isMap(node) ? node.get('items', true) : undefined;
    const itemNodes = isSeq(itemsNode) ? itemsNode.items : [];
    const itemKind = itemKindOf(value);
    (value.items as unknown[]).forEach((item, index) => {
      const itemNode = itemNodes[index] as YamlNode | undefined;
      const at = itemNode?.range && lines ? lines.position(itemNode.range[0]).line : itemLine?.(index);
      this.accept(withListKind(value, itemKind, item), at ?? line, `item ${index + 1} of the ${value.kind}`, undefined, itemNode ?? null, lines);
    });
  }

  private startYaml(): void {
    this.mode = 'yaml';
  }

  /**
   * YAML is read a document at a time, each held as text until the next `---` line: the block-YAML reader
   * (block-yaml.ts) reads what kubectl, Helm and the `yaml` package print, several times faster than `yaml`, and
   * any document outside its subset (or with an error) is read by the `yaml` package's Parser and Composer instead,
   * which gives the same value (a differential test holds them equal) and reports every error.
   */
  private writeYaml(chunk: string, incomplete: boolean): void {
    let text = this.pendingText + chunk;
    this.pendingText = '';
    const starts = documentStarts(text);
    if (incomplete) {
      // The last document may go on in the next chunk.
      const end = starts.pop()!;
      this.pendingText = text.slice(end);
      text = text.slice(0, end);
      if (text === '') return;
    }
    for (let index = 0; index < starts.length; index += 1) {
      this.yamlDocument(text.slice(starts[index], starts[index + 1] ?? text.length));
    }
  }

  private yamlDocument(text: string): void {
    const line = this.yamlLine;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.yamlLine += 1;
    const fast = readBlockYaml(text, line, plainScalars);
    if (fast) {
      const { itemLines } = fast;
      this.accept(fast.value, fast.line, 'this document', itemLines && ((index) => itemLines[index]));
      return;
    }
    const lines = new LineStarts(line);
    // logLevel 'error': the yaml package would print collection keys as a Node warning; they are reported below.
    const parser = new Parser(lines.add);
    const composer = new Composer({ version: '1.1', customTags: goYamlTags, logLevel: 'error' });
    for (const token of parser.parse(text, false)) {
      for (const document of composer.next(token)) this.document(document, lines);
    }
    for (const document of composer.end()) this.document(document, lines);
  }

  private document(document: Document.Parsed, lines: LineStarts): void {
    try {
      if (document.errors.length > 0) {
        // The first error is the cause; the ones after it are usually its echoes.
        const [first] = document.errors;
        const position = lines.position(first!.pos[0]);
        this.error({ line: position.line, column: position.col, message: `invalid YAML: ${yamlErrorMessage(first!.message)}; this document was skipped` });
        return;
      }
      const contents = document.contents;
      if (contents === null) return;
      const line = contents.range ? lines.position(contents.range[0]).line : 1;
      const collectionKey = collectionKeyOf(contents);
      if (collectionKey) {
        const at = collectionKey.range ? lines.position(collectionKey.range[0]) : { line, col: undefined };
        this.error({
          line: at.line,
          ...(at.col === undefined ? {} : { column: at.col }),
          message: 'a mapping key is itself a mapping or a list, which no Kubernetes object has (the API server rejects it); this document was skipped',
        });
        return;
      }
      let value: unknown;
      try {
        value = document.toJS({ maxAliasCount: 100 });
      } catch (error) {
        this.error({ line, message: `invalid YAML: ${(error as Error).message}; this document was skipped` });
        return;
      }
      this.accept(value, line, 'this document', undefined, contents, lines);
    } finally {
      if (document.range) lines.forget(document.range[2]);
    }
  }

  private writeJson(chunk: string, end: boolean): void {
    if (this.prefix) {
      this.prefix.push(chunk);
      this.prefixLength += chunk.length;
      if (this.prefixLength > MAX_JSON_PREFIX) this.prefix = undefined;
    }
    try {
      if (end) this.json!.end();
      else this.json!.write(chunk);
    } catch (error) {
      if (!(error instanceof JsonStreamError)) throw error;
      if (this.prefix) {
        // Not JSON, but it may be YAML: `{apiVersion: v1, kind: Pod}` is a flow mapping.
        const text = this.prefix.join('');
        this.prefix = undefined;
        this.json = undefined;
        this.startYaml();
        this.writeYaml(text, !end);
        return;
      }
      this.mode = 'failed';
      this.error({ line: error.line, column: error.column, message: `invalid JSON: ${error.message}; the rest of this file was skipped` });
    }
  }

  private jsonEvent(event: JsonEvent): void {
    switch (event.type) {
      case 'value':
        this.accept(event.value, event.line, 'this document');
        return;
      case 'object-start':
        this.head = {};
        this.headLine = event.line;
        this.list = undefined;
        return;
      case 'field':
        setField(this.head, event.key, event.value);
        return;
      case 'items-start': {
        const known = isKubeObject(this.head);
        const mode = known ? (isListKind(this.head.kind as string) ? 'stream' : 'hold') : 'guess';
        this.list = { mode, held: [], index: 0, readAlone: 0 };
        return;
      }
      case 'item':
        this.jsonItem(event.value, event.line);
        return;
      case 'object-end':
        this.jsonObjectEnd();
        return;
    }
  }

  private jsonItem(value: unknown, line: number): void {
    const list = this.list!;
    list.index += 1;
    const head = this.head as KubeObject;
    if (list.mode === 'stream') {
      this.accept(withListKind(head, itemKindOf(head), value), line, `item ${list.index} of the ${head.kind}`);
    } else if (list.mode === 'guess' && isKubeObject(value)) {
      list.readAlone += 1;
      this.accept(value, line, `item ${list.index} of the list`);
    } else {
      list.held.push({ value, line, index: list.index });
    }
  }

  private jsonObjectEnd(): void {
    const head = this.head;
    const list = this.list;
    this.head = {};
    this.list = undefined;
    if (!list) {
      this.accept(head, this.headLine, 'this document');
      return;
    }
    if (list.mode === 'stream') return;
    if (list.mode === 'guess' && isKubeObject(head) && isListKind(head.kind!)) {
      const itemKind = itemKindOf(head);
      for (const { value, line, index } of list.held) this.accept(withListKind(head, itemKind, value), line, `item ${index} of the ${head.kind}`);
      return;
    }
    setField(head, 'items', list.held.map(({ value }) => value));
    if (list.readAlone > 0) {
      this.error({
        line: this.headLine,
        message: `this document's items came before its kind, which is not a List: ${list.readAlone} of its items were read as objects of their own`,
      });
    }
    this.accept(head, this.headLine, 'this document');
  }
}

/** The first mapping key that is a mapping or a list, if any: JavaScript (and JSON) keys are strings. Walks the
 * collections only (cheaper than yaml's visit, which builds a path for every node). */
function collectionKeyOf(node: unknown): YamlNode | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isCollection(pair.key)) return pair.key;
      const found = collectionKeyOf(pair.value);
      if (found) return found;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const found = collectionKeyOf(item);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Parse one file or stream of manifests held as text (see ManifestStream, which reads the same way in chunks).
 */
export function parseManifests(text: string, file: string): ParsedManifests {
  const parsed: ParsedManifests = { objects: [], errors: [] };
  const stream = new ManifestStream(file, { object: (object) => parsed.objects.push(object), error: (error) => parsed.errors.push(error) });
  stream.write(text);
  stream.end();
  return parsed;
}

/** The names `kustomize build` looks for in a directory, in its order. */
export const kustomizationFileNames = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** A kustomization (`Kustomization`, `Component`) configures kustomize; it is not an object a cluster holds. */
function isKustomizeConfig(object: KubeObject): boolean {
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
  // Kinds come from the input: keyed without a prototype, `kind: constructor` is a kind like any other.
  const byKind: Record<string, KubeObject[]> = Object.create(null) as Record<string, KubeObject[]>;
  const locations = new WeakMap<object, SourceLocation>();
  for (const { object: read, location } of objects) {
    if (isKustomizeConfig(read)) continue;
    const object = kept(read);
    (byKind[object.kind!] ??= []).push(object);
    locations.set(object, location);
  }
  const kinds = [...new Set([...options.checkedKinds, ...Object.keys(byKind)])].sort();
  const coverage: Record<string, KindCoverage> = Object.create(null) as Record<string, KindCoverage>;
  const uncheckedKinds: Record<string, number> = Object.create(null) as Record<string, number>;
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

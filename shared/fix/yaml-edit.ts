// Editing one object of a YAML manifest file in place with a JSON Patch, keeping everything the patch does not touch
// byte for byte: comments, key order, quoting, blank lines, document separators, indentation and line endings.
// The yaml library's Document API locates every node with its source range; each operation splices the text of the
// smallest node it changes, and the result is parsed again and checked against the patch applied to the object.
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  Scalar,
  stringify,
  visit,
  type Document,
  type Node as YamlNode,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { toPointer } from '../engine/paths.ts';
import { goYamlTags } from '../kube/manifests.ts';
import type { JsonPatchOp } from '../model/finding.ts';
import { applyPatch, jsonEqual, parsePointer } from './json-patch.ts';

/** Why an object could not be edited in place; the caller names the file and the finding. */
export class YamlEditError extends Error {
  /** Which of several edits failed, when it is known. */
  readonly edit: number | undefined;

  constructor(message: string, edit?: number) {
    super(message);
    this.edit = edit;
  }
}

/** Which object of a file: its document (0-based, empty documents included) and, in a `List`, its item. */
export interface ObjectAddress {
  document: number;
  item?: number;
}

export interface AddressedObject {
  address: ObjectAddress;
  /** 1-based line where the object starts, as the manifest reader reports it. */
  line: number;
  object: unknown;
}

const parseOptions = { version: '1.1', customTags: goYamlTags } as const;

type Endings = 'lf' | 'crlf';

/** CRLF files are edited as LF and written back as CRLF; a file mixing both is refused rather than normalised. */
function lineEndings(text: string): Endings {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  if (crlf === 0) return 'lf';
  const lf = text.match(/\n/g)?.length ?? 0;
  if (crlf !== lf) throw new YamlEditError(`mixes CRLF and LF line endings (${crlf} of ${lf} lines end in CRLF); make them consistent first`);
  return 'crlf';
}

function parse(text: string, lineCounter?: LineCounter): Document.Parsed[] {
  const documents = parseAllDocuments(text, lineCounter ? { ...parseOptions, lineCounter } : parseOptions) as Document.Parsed[] | { empty: true };
  if (!Array.isArray(documents)) return [];
  for (const document of documents) {
    if (document.errors.length > 0) throw new YamlEditError(`is not valid YAML: ${document.errors[0]!.message.split('\n')[0]}`);
  }
  return documents;
}

const isListDocument = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string' &&
  ((value as { kind: string }).kind === 'List' || (value as { kind: string }).kind.endsWith('List')) &&
  Array.isArray((value as { items?: unknown }).items);

/** Every object of a file with its address and start line (documents of a `List` are its items). */
export function addressObjects(text: string): AddressedObject[] {
  const lf = lineEndings(text) === 'crlf' ? text.replaceAll('\r\n', '\n') : text;
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(lf, { ...parseOptions, lineCounter }) as Document.Parsed[];
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line;
  const out: AddressedObject[] = [];
  documents.forEach((document, index) => {
    if (document.errors.length > 0 || document.contents === null) return;
    const value = document.toJS({ maxAliasCount: 100 }) as unknown;
    const contents = document.contents;
    if (isListDocument(value) && isMap(contents)) {
      const items = contents.get('items', true);
      if (!isSeq(items)) return;
      items.items.forEach((node, item) => {
        const range = (node as YamlNode).range;
        out.push({ address: { document: index, item }, line: range ? lineOf(range[0]) : 1, object: (value as { items: unknown[] }).items[item] });
      });
      return;
    }
    out.push({ address: { document: index }, line: contents.range ? lineOf(contents.range[0]) : 1, object: value });
  });
  return out;
}

function objectNode(documents: readonly Document.Parsed[], address: ObjectAddress): YamlNode {
  const document = documents[address.document];
  const contents = document?.contents;
  if (!contents) throw new YamlEditError(`has no document ${address.document + 1}`);
  if (address.item === undefined) return contents;
  const items = isMap(contents) ? contents.get('items', true) : undefined;
  const node = isSeq(items) ? (items.items[address.item] as YamlNode | undefined) : undefined;
  if (!node) throw new YamlEditError(`has no item ${address.item + 1} in document ${address.document + 1}`);
  return node;
}

/** Anchors and aliases share one node between places: editing one place would silently change the others. */
function refuseAliases(node: YamlNode, lineOf: (offset: number) => number): void {
  visit(node, (_key, visited) => {
    const anchored = (isScalar(visited) || isMap(visited) || isSeq(visited)) && visited.anchor;
    if (isAlias(visited) || anchored) {
      const range = visited.range;
      const line = range ? lineOf(range[0]) : undefined;
      throw new YamlEditError(
        `uses YAML ${isAlias(visited) ? 'aliases' : 'anchors'}${line ? ` (line ${line})` : ''} in this object: editing one place would change the others; expand them or edit by hand`,
      );
    }
  });
}

// ─── Rendering new values as block YAML ───────────────────────────────────────────────────────────────────────────

interface Style {
  /** Spaces per nesting level. */
  unit: number;
  /** Whether a list under a key is indented (`key:\n  - a`) or not (`key:\n- a`). */
  indentSeq: boolean;
}

const isCollectionValue = (value: unknown): value is Record<string, unknown> | unknown[] => typeof value === 'object' && value !== null;
const isEmptyCollection = (value: unknown): boolean =>
  Array.isArray(value) ? value.length === 0 : isCollectionValue(value) && Object.keys(value).length === 0;

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object') return '{}';
  const text = stringify(value, { ...parseOptions, lineWidth: 0 }).trimEnd();
  // A multi-line string would become a block scalar; a double-quoted one keeps it on one line.
  return text.includes('\n') ? JSON.stringify(value) : text;
}

const pad = (column: number): string => ' '.repeat(column);

/** Lines of `value` as a block collection whose entries start at `column`. */
function blockLines(value: Record<string, unknown> | unknown[], column: number, style: Style): string[] {
  const lines: string[] = [];
  const nested = (child: unknown, childColumn: number): string[] =>
    isCollectionValue(child) && !isEmptyCollection(child) ? blockLines(child, childColumn, style) : [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (!isCollectionValue(item) || isEmptyCollection(item)) {
        lines.push(`${pad(column)}- ${scalarText(item)}`);
      } else if (Array.isArray(item)) {
        lines.push(`${pad(column)}-`, ...nested(item, column + 2));
      } else {
        const [first, ...rest] = blockLines(item, column + 2, style);
        lines.push(`${pad(column)}- ${first!.slice(column + 2)}`, ...rest);
      }
    }
    return lines;
  }
  for (const [key, child] of Object.entries(value)) {
    const keyText = scalarText(key);
    if (!isCollectionValue(child) || isEmptyCollection(child)) lines.push(`${pad(column)}${keyText}: ${scalarText(child)}`);
    else lines.push(`${pad(column)}${keyText}:`, ...nested(child, column + (Array.isArray(child) && !style.indentSeq ? 0 : style.unit)));
  }
  return lines;
}

/** `key: value` (or `key:` and the block below it) for a key at `column`; the first line carries no indentation. */
function pairText(keyText: string, value: unknown, column: number, style: Style): string {
  if (!isCollectionValue(value) || isEmptyCollection(value)) return `${keyText}: ${scalarText(value)}`;
  const childColumn = column + (Array.isArray(value) && !style.indentSeq ? 0 : style.unit);
  return [`${keyText}:`, ...blockLines(value, childColumn, style)].join('\n');
}

/** A list item's content (after `- `) at `column`; the first line carries no indentation. */
function itemText(value: unknown, column: number, style: Style): string {
  if (!isCollectionValue(value) || isEmptyCollection(value)) return scalarText(value);
  const lines = blockLines(value, column, style);
  return [lines[0]!.slice(column), ...lines.slice(1)].join('\n');
}

// ─── Locating text ────────────────────────────────────────────────────────────────────────────────────────────────

class Text {
  value: string;
  constructor(value: string) {
    this.value = value;
  }
  lineStart(offset: number): number {
    return this.value.lastIndexOf('\n', offset - 1) + 1;
  }
  /** The offset of the newline ending the line that holds `offset` (or the end of the text). */
  lineEnd(offset: number): number {
    const end = this.value.indexOf('\n', offset);
    return end === -1 ? this.value.length : end;
  }
  column(offset: number): number {
    return offset - this.lineStart(offset);
  }
  onlySpacesBefore(offset: number): boolean {
    return this.value.slice(this.lineStart(offset), offset).trim() === '';
  }
  splice(start: number, end: number, insert: string): void {
    this.value = this.value.slice(0, start) + insert + this.value.slice(end);
  }
}

/** Where a node's content ends, before the newline a block node's range takes in. */
function contentEnd(text: Text, node: YamlNode): number {
  let end = node.range![1];
  while (end > node.range![0] && text.value[end - 1] === '\n') end -= 1;
  return end;
}

function keyRange(pair: Pair): [number, number] {
  const key = pair.key as YamlNode | null;
  if (!key?.range) throw new YamlEditError('has a key without a position');
  return [key.range[0], key.range[1]];
}

/** End of a pair's text: its value's content, or the colon of an empty value. */
function pairEnd(text: Text, pair: Pair): number {
  const value = pair.value as YamlNode | null;
  const [, keyEnd] = keyRange(pair);
  const colon = text.value.indexOf(':', keyEnd);
  if (value?.range && value.range[1] > colon + 1) return contentEnd(text, value);
  return colon + 1;
}

function dashOf(text: Text, item: YamlNode): number {
  let at = item.range![0] - 1;
  while (at >= 0 && /\s/.test(text.value[at]!)) at -= 1;
  if (text.value[at] !== '-') throw new YamlEditError('has a list item in a layout Periscope does not edit; edit it by hand');
  return at;
}

/** The object's own style: the most common indentation step and list placement (files mix them). */
function detectStyle(text: Text, root: YamlNode): Style {
  const units = new Map<number, number>();
  let indented = 0;
  let flush = 0;
  visit(root, {
    Pair(_key, pair) {
      const key = pair.key as YamlNode | null;
      const value = pair.value as YamlNode | null;
      if (!key?.range || !value?.range) return;
      const keyColumn = text.column(key.range[0]);
      const first = (isMap(value) || isSeq(value)) && !value.flow ? (value.items[0] as Pair | YamlNode | undefined) : undefined;
      if (isMap(value) && first && (first as Pair).key) {
        const childStart = ((first as Pair).key as YamlNode).range![0];
        const step = text.column(childStart) - keyColumn;
        if (step > 0 && text.onlySpacesBefore(childStart)) units.set(step, (units.get(step) ?? 0) + 1);
      }
      if (isSeq(value) && first && (first as YamlNode).range) {
        if (text.column(dashOf(text, first as YamlNode)) > keyColumn) indented += 1;
        else flush += 1;
      }
    },
  });
  const [unit] = [...units].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return { unit: unit?.[0] ?? 2, indentSeq: indented >= flush };
}

// ─── Operations ───────────────────────────────────────────────────────────────────────────────────────────────────

interface Step {
  /** The collection holding the target, and the target's key or index in it. */
  parent: YAMLMap | YAMLSeq;
  key: string;
}

function keyOf(pair: Pair): string {
  const key = pair.key;
  return isScalar(key) ? String(key.value) : String(key);
}

/** The chain of collections from the object down to the parent of the pointer's target. */
function resolve(root: YamlNode, segments: readonly string[]): Step[] {
  const steps: Step[] = [];
  let node: unknown = root;
  segments.forEach((segment, index) => {
    if (isAlias(node)) throw new YamlEditError('reaches a YAML alias; edit it by hand');
    if (!isMap(node) && !isSeq(node)) throw new YamlEditError(`has no ${segments.slice(0, index + 1).join('/')} to change`);
    steps.push({ parent: node, key: segment });
    if (index === segments.length - 1) return;
    node = isMap(node) ? node.items.find((pair) => keyOf(pair) === segment)?.value : node.items[Number(segment)];
  });
  return steps;
}

/** The outermost flow collection among the steps, which is rewritten whole (it is one line, or a JSON-like block). */
function flowAncestor(steps: readonly Step[]): number {
  return steps.findIndex((step) => step.parent.flow === true);
}

function rewriteFlow(text: Text, document: Document.Parsed, steps: readonly Step[], at: number, op: JsonPatchOp): void {
  const node = steps[at]!.parent;
  const range = node.range!;
  const path = steps.slice(at).map((step) => (isSeq(step.parent) && step.key !== '-' ? Number(step.key) : step.key));
  if (op.op === 'remove') node.deleteIn(path);
  else if (op.op === 'replace') node.setIn(path, document.createNode(op.value));
  else if (isSeq(steps.at(-1)!.parent)) {
    const seq = steps.length - at === 1 ? node : node.getIn(path.slice(0, -1), true);
    const index = steps.at(-1)!.key === '-' ? (seq as YAMLSeq).items.length : Number(steps.at(-1)!.key);
    (seq as YAMLSeq).items.splice(index, 0, document.createNode(op.value));
  } else node.setIn(path, document.createNode(op.value));
  text.splice(range[0], range[1], stringify(node, { ...parseOptions, lineWidth: 0 }).trimEnd());
}

function applyOp(text: Text, document: Document.Parsed, root: YamlNode, op: JsonPatchOp, style: Style): void {
  const segments = parsePointer(op.path);
  if (segments.length === 0) throw new YamlEditError('would replace the whole object');
  const steps = resolve(root, segments);
  const flow = flowAncestor(steps);
  if (flow !== -1) return rewriteFlow(text, document, steps, flow, op);
  const { parent, key } = steps.at(-1)!;
  const replaceWhole = (value: unknown): void => {
    // The parent collection becomes empty: it is written `{}` or `[]` in place of its block.
    if (steps.length < 2) throw new YamlEditError('would empty the whole object');
    applyOp(text, document, root, { op: 'replace', path: toPointer(segments.slice(0, -1)), value }, style);
  };
  const edit: BlockEdit = { text, op, key, style, where: segments.join('/'), replaceWhole };
  if (isMap(parent)) editMap(edit, parent);
  else editSeq(edit, parent);
}

interface BlockEdit {
  text: Text;
  op: JsonPatchOp;
  /** The target's key in its parent collection. */
  key: string;
  style: Style;
  /** The pointer, for errors. */
  where: string;
  replaceWhole: (value: unknown) => void;
}

function editMap({ text, op, key, style, where, replaceWhole }: BlockEdit, parent: YAMLMap): void {
  const index = parent.items.findIndex((pair) => keyOf(pair) === key);
  const pair = parent.items[index];
  if (op.op === 'remove') {
    if (!pair) throw new YamlEditError(`has no ${where} to remove`);
    if (parent.items.length === 1) return replaceWhole({});
    const [keyStart] = keyRange(pair);
    const end = pairEnd(text, pair);
    if (text.onlySpacesBefore(keyStart)) {
      text.splice(text.lineStart(keyStart), Math.min(text.lineEnd(end) + 1, text.value.length), '');
    } else {
      // The first key of a list item shares the line with its dash: the next key moves up to it.
      const next = parent.items[index + 1]!;
      text.splice(keyStart, keyRange(next)[0], '');
    }
    return;
  }
  if (pair) {
    const value = pair.value as YamlNode | null;
    if (isScalar(value) && value.range && value.range[1] > value.range[0] && !isCollectionValue(op.value)) {
      return replaceScalar(text, value, op.value);
    }
    const [keyStart, keyEnd] = keyRange(pair);
    text.splice(keyStart, pairEnd(text, pair), pairText(text.value.slice(keyStart, keyEnd), op.value, text.column(keyStart), style));
    return;
  }
  if (op.op === 'replace') throw new YamlEditError(`has no ${where} to replace`);
  const last = parent.items.at(-1);
  if (!last) throw new YamlEditError('has an empty block mapping Periscope does not edit');
  const column = text.column(keyRange(parent.items[0]!)[0]);
  const at = text.lineEnd(pairEnd(text, last));
  text.splice(at, at, `\n${pad(column)}${pairText(scalarText(key), op.value, column, style)}`);
}

function editSeq({ text, op, key, style, where, replaceWhole }: BlockEdit, seq: YAMLSeq): void {
  const index = key === '-' ? seq.items.length : Number(key);
  const item = seq.items[index] as YamlNode | undefined;
  if (op.op === 'remove' || op.op === 'replace') {
    if (!item?.range) throw new YamlEditError(`has no ${where} to ${op.op}`);
    if (op.op === 'replace') {
      if (isScalar(item) && !isCollectionValue(op.value)) return replaceScalar(text, item, op.value);
      text.splice(item.range[0], contentEnd(text, item), itemText(op.value, text.column(item.range[0]), style));
      return;
    }
    if (seq.items.length === 1) return replaceWhole([]);
    const dash = dashOf(text, item);
    if (!text.onlySpacesBefore(dash)) throw new YamlEditError('has a nested list layout Periscope does not edit; edit it by hand');
    text.splice(text.lineStart(dash), Math.min(text.lineEnd(contentEnd(text, item)) + 1, text.value.length), '');
    return;
  }
  const first = seq.items[0] as YamlNode | undefined;
  if (!first?.range) throw new YamlEditError('has an empty block list Periscope does not edit');
  const column = text.column(dashOf(text, first));
  const rendered = `${pad(column)}- ${itemText(op.value, column + 2, style)}`;
  if (item?.range) {
    const start = text.lineStart(dashOf(text, item));
    text.splice(start, start, `${rendered}\n`);
  } else {
    const at = text.lineEnd(contentEnd(text, seq.items.at(-1) as YamlNode));
    text.splice(at, at, `\n${rendered}`);
  }
}

/** A scalar replaced by a scalar keeps its quoting when both are strings. */
function replaceScalar(text: Text, node: Scalar, value: unknown): void {
  let rendered = scalarText(value);
  if (typeof value === 'string' && typeof node.value === 'string' && (node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE')) {
    const quoted = new Scalar(value);
    quoted.type = node.type;
    rendered = stringify(quoted, { ...parseOptions, lineWidth: 0 }).trimEnd();
  }
  text.splice(node.range![0], node.range![1], rendered);
}

export interface ObjectEdit {
  address: ObjectAddress;
  patch: readonly JsonPatchOp[];
}

/** The document (or List) value once `patch` is applied to the object at `address` in it. */
function patchedDocument(value: unknown, address: ObjectAddress, patch: readonly JsonPatchOp[]): unknown {
  try {
    if (address.item === undefined) return applyPatch(value, patch);
    const list = structuredClone(value) as { items: unknown[] };
    list.items[address.item] = applyPatch(list.items[address.item], patch);
    return list;
  } catch (error) {
    throw new YamlEditError(`no longer matches the patch: ${(error as Error).message}`);
  }
}

/**
 * The file's text with each patch applied to the object at its address. Each document is edited as its own slice of
 * the text (a large file is parsed twice, not once per operation). Throws a YamlEditError, carrying the index of the
 * edit at fault, when an object uses anchors or aliases or a layout that cannot be edited safely, and when the edited
 * text would not hold exactly the patched objects with every other document unchanged.
 */
export function editYamlObjects(fileText: string, edits: readonly ObjectEdit[]): string {
  const endings = lineEndings(fileText);
  const original = endings === 'crlf' ? fileText.replaceAll('\r\n', '\n') : fileText;
  const lineCounter = new LineCounter();
  const before = parse(original, lineCounter);
  const originalText = new Text(original);
  const expected = before.map((document) => document.toJS({ maxAliasCount: 100 }) as unknown);
  const byDocument = Map.groupBy(edits.map((edit, index) => ({ ...edit, index })), (edit) => edit.address.document);
  let result = original;
  // From the last document to the first, so that the offsets of those before it stay valid.
  for (const documentIndex of [...byDocument.keys()].sort((a, b) => b - a)) {
    const range = before[documentIndex]?.range;
    if (!range) throw new YamlEditError(`has no document ${documentIndex + 1}`);
    const start = originalText.lineStart(range[0]);
    const text = new Text(original.slice(start, range[2]));
    for (const { address, patch, index } of byDocument.get(documentIndex)!) {
      try {
        const beforeNode = objectNode(before, address);
        refuseAliases(beforeNode, (offset) => lineCounter.linePos(offset).line);
        expected[documentIndex] = patchedDocument(expected[documentIndex], address, patch);
        const style = detectStyle(originalText, beforeNode);
        const local: ObjectAddress = address.item === undefined ? { document: 0 } : { document: 0, item: address.item };
        for (const op of patch) {
          const documents = parse(text.value);
          if (documents.length !== 1) throw new YamlEditError('has a document Periscope cannot edit on its own; edit it by hand');
          applyOp(text, documents[0]!, objectNode(documents, local), op, style);
        }
      } catch (error) {
        if (error instanceof YamlEditError) throw new YamlEditError(error.message, index);
        throw error;
      }
    }
    result = result.slice(0, start) + text.value + result.slice(range[2]);
  }
  // Every document must hold what it held, except the edited objects, which must hold exactly the patched objects.
  const after = parse(result);
  const exact = after.length === before.length && after.every((document, index) => jsonEqual(document.toJS({ maxAliasCount: 100 }), expected[index]));
  if (!exact) throw new YamlEditError('could not be edited without changing more than the patch; edit it by hand', edits.length === 1 ? 0 : undefined);
  return endings === 'crlf' ? result.replaceAll('\n', '\r\n') : result;
}

/** One object's edit (see editYamlObjects). */
export function editYamlObject(fileText: string, address: ObjectAddress, patch: readonly JsonPatchOp[]): string {
  return editYamlObjects(fileText, [{ address, patch }]);
}

// A reader of the block-YAML subset that kubectl, Helm, kustomize and the `yaml` package print: block mappings and
// sequences (sequences at their key's indentation too), plain, single- and double-quoted one-line scalars, literal
// block scalars (`|`, `|-`, `|+`), `[]`, `{}` and one-line flow sequences of scalars, comments. Anything else —
// anchors, aliases, tags, directives, folded or multi-line scalars, flow mappings, complex or duplicate keys, merge
// keys, tabs in indentation, CR line ends — makes it give up on the document, and the caller reads that document
// with the `yaml` package, which also reports every error. What it reads it reads as `yaml` (YAML 1.1, the given
// tags) would: plain scalars are resolved by the same schema's tags, and a differential test holds the two equal.
import { isScalar, Schema, type Tags } from 'yaml';

/** A document read: its value (null for an empty one), the line of its content, the lines of a top-level `items`. */
export interface BlockYamlDocument {
  value: unknown;
  line: number;
  /** Line of each element of the top-level mapping's `items` sequence, when it has one. */
  itemLines: number[] | undefined;
}

/** Thrown inside the reader when the document is outside the subset. */
class OutsideSubset {}
const outside = new OutsideSubset();
function giveUp(): never {
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- a private sentinel, caught below, never escapes
  throw outside;
}

interface ScalarTest {
  test: RegExp;
  resolve: (value: string) => unknown;
}

/** Lower-case first letters of YAML 1.1's nulls, booleans and numbers: n(ull|o), y(es), t(rue), f(alse), o(n|ff), e5. */
const resolvable = new Set([...'nytfoe'].map((c) => c.charCodeAt(0)));

/** How a plain scalar resolves under a YAML 1.1 schema with the given tags: the schema's own tests and resolvers,
 * in its order (what `yaml`'s composer does for an untagged plain scalar). */
export class PlainScalars {
  private readonly tests: ScalarTest[];
  /** All the tests in one: most scalars match none, and one regular expression says so at once. */
  private readonly any: RegExp;

  constructor(customTags: (tags: Tags) => Tags) {
    const schema = new Schema({ schema: 'yaml-1.1', customTags });
    this.tests = [];
    for (const tag of schema.tags) {
      if (tag.default !== true || !tag.test || tag.collection) continue;
      const scalarTag = tag;
      this.tests.push({
        test: tag.test,
        resolve: (value) => {
          let failed = false;
          const result: unknown = scalarTag.resolve(value, () => (failed = true), { intAsBigInt: false });
          if (failed) giveUp();
          const plain = isScalar(result) ? result.value : result;
          if (plain !== null && typeof plain === 'object') giveUp();
          return plain;
        },
      });
    }
    const flagless = this.tests.every(({ test }) => test.flags === '');
    this.any = flagless ? new RegExp(this.tests.map(({ test }) => `(?:${test.source})`).join('|')) : /(?:)/;
  }

  resolve(text: string): unknown {
    // A letter that begins no null, boolean or number of the schema: the scalar is a string (`e5` is a float to
    // yaml's YAML 1.1 float test, so `e` is not such a letter).
    const first = text.charCodeAt(0);
    if (((first >= 0x61 && first <= 0x7a) || (first >= 0x41 && first <= 0x5a)) && !resolvable.has(first | 0x20)) return text;
    // A decimal integer without a leading zero: what yaml's YAML 1.1 int resolves it to, without its Scalar.
    if (first >= 0x31 && first <= 0x39 && text.length <= 15 && /^[0-9]+$/.test(text)) return Number(text);
    if (!this.any.test(text)) return text;
    for (const { test, resolve } of this.tests) if (test.test(text)) return resolve(text);
    return text;
  }
}

const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** What ends an anchor's or alias's name: a blank or a flow indicator. */
const anchorEnd = new Set([...' \t,[]{}'].map((c) => c.charCodeAt(0)));

/** Characters no plain scalar or plain key begins with in block context (the YAML indicators we do not read). */
const indicatorStart = new Set([...'[]{}#&*!|>\'"%@`,?:'].map((c) => c.charCodeAt(0)));

/** Where `search` first is in text[from, to), or -1. For a character that is on most lines (`:`), where indexOf
 * looks past the line's end it does not look far. */
function find(text: string, search: string, from: number, to: number): number {
  const at = text.indexOf(search, from);
  return at >= 0 && at < to ? at : -1;
}

/** Text a plain scalar may hold on one line in block context: no `: `, no `:` at its end, no tab before a `#`. */
function plainText(plain: string): boolean {
  return !(plain.includes(': ') || plain.includes(':\t') || plain.endsWith(':'));
}

/**
 * Reads one document (a `---` marker line may come first) when it is inside the subset; undefined when it is not,
 * and the caller reads it with `yaml`. `firstLine` is the 1-based line of the text's first line.
 */
export function readBlockYaml(text: string, firstLine: number, scalars: PlainScalars): BlockYamlDocument | undefined {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return new Reader(text, firstLine, scalars).document();
  } catch (error) {
    if (error === outside) return undefined;
    throw error;
  }
}

interface Lines {
  starts: Int32Array;
  ends: Int32Array;
  cols: Int32Array;
}

/** Line tables twice as big, holding what the smaller ones held. */
function grown(current: Lines): Lines {
  const size = current.starts.length * 2;
  const copy = (from: Int32Array) => {
    const to = new Int32Array(size);
    to.set(from);
    return to;
  };
  return { starts: copy(current.starts), ends: copy(current.ends), cols: copy(current.cols) };
}

/** Shared by all readers (one reads at a time), grown as a document needs. */
let lines: Lines = { starts: new Int32Array(4096), ends: new Int32Array(4096), cols: new Int32Array(4096) };

const prototypeKeys = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__']);

/** Plain keys read so far (valid, resolving to themselves), by first character and length. */
const knownKeys = new Map<number, string[]>();
let knownKeyCount = 0;

class Reader {
  private readonly text: string;
  private readonly firstLine: number;
  private readonly scalars: PlainScalars;
  /** Offset of each line's first character, and of its end (before the line feed); shared by all readers. */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** Column of each line's content; -1 for a blank or comment-only line. A compact `- key: v` moves it. */
  private readonly cols: Int32Array;
  private readonly count: number;
  private line = 0;
  private readonly anchors = new Map<string, { value: unknown; uses: number }>();
  private aliases = 0;

  constructor(text: string, firstLine: number, scalars: PlainScalars) {
    this.text = text;
    this.firstLine = firstLine;
    this.scalars = scalars;
    let count = 0;
    for (let start = 0; start <= text.length; ) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      let at = start;
      while (at < end && text.charCodeAt(at) === SPACE) at += 1;
      const next = text.charCodeAt(at);
      let col = at - start;
      if (at === end || next === HASH) col = -1;
      else if (next === TAB) {
        // A tab in the indentation: only a line of blanks may have one.
        let rest = at;
        while (rest < end && (text.charCodeAt(rest) === TAB || text.charCodeAt(rest) === SPACE)) rest += 1;
        if (rest < end && text.charCodeAt(rest) !== HASH) giveUp();
        col = -1;
      }
      if (count === lines.starts.length) lines = grown(lines);
      lines.starts[count] = start;
      lines.ends[count] = end;
      lines.cols[count] = col;
      count += 1;
      start = end + 1;
      // After a final line feed there is no line.
      if (start >= text.length) break;
    }
    this.count = count;
    ({ starts: this.starts, ends: this.ends, cols: this.cols } = lines);
  }

  document(): BlockYamlDocument {
    const count = this.count;
    // The marker line: `---` alone or with a comment.
    if (this.text.startsWith('---')) {
      const rest = this.text.slice(3, this.ends[0]).trim();
      if (rest !== '' && !rest.startsWith('#')) giveUp();
      this.cols[0] = -1;
    }
    for (let index = 0; index < count; index += 1) {
      // Directives, and `...` (what follows it would be another document), are left to `yaml`.
      const start = this.starts[index]!;
      const c = this.text.charCodeAt(start);
      if (c === 0x25 /* % */ || (c === 0x2e && this.text.startsWith('...', start))) giveUp();
    }
    this.skipBlank();
    if (this.line >= count) return { value: null, line: this.firstLine, itemLines: undefined };
    if (this.cols[this.line] !== 0) giveUp();
    const line = this.firstLine + this.line;
    let itemLines: number[] | undefined;
    let value: unknown;
    if (this.isSequenceEntry(this.line)) value = this.sequence(0, undefined);
    else if (this.keyEnd(this.line) >= 0) value = this.mapping(0, (lines) => (itemLines = lines));
    else giveUp();
    this.skipBlank();
    if (this.line < count) giveUp();
    return { value, line, itemLines };
  }

  /** The next `#` at or after `from`, searched from `hashFrom` last time: most documents have none, and one
   * search that found the document's end answers every question after it. */
  private hashFrom = -1;
  private hashAt = -1;

  /** Where the first `#` in text[from, to) is, or -1. */
  private hash(from: number, to: number): number {
    if (!(this.hashFrom >= 0 && this.hashFrom <= from && (this.hashAt < 0 || from <= this.hashAt))) {
      this.hashFrom = from;
      this.hashAt = this.text.indexOf('#', from);
    }
    return this.hashAt >= 0 && this.hashAt < to ? this.hashAt : -1;
  }

  private skipBlank(): void {
    while (this.line < this.count && this.cols[this.line] === -1) this.line += 1;
  }

  /** Column of the next content line, or -1 at the end. */
  private nextCol(): number {
    this.skipBlank();
    return this.line < this.count ? this.cols[this.line]! : -1;
  }

  private at(line: number): number {
    return this.starts[line]! + this.cols[line]!;
  }

  private isSequenceEntry(line: number): boolean {
    const at = this.at(line);
    if (this.text.charCodeAt(at) !== DASH) return false;
    const next = at + 1;
    return next === this.ends[line]! || this.text.charCodeAt(next) === SPACE;
  }

  /** Offset of the `:` ending a key that starts the line's content, or -1 when the content is no `key:`. */
  private keyEnd(line: number): number {
    const text = this.text;
    const at = this.at(line);
    const end = this.ends[line]!;
    const c = text.charCodeAt(at);
    let from = at;
    if (c === DQUOTE || c === SQUOTE) {
      from = this.quoteEnd(at, end);
      if (from < 0) return -1;
      let colon = from;
      while (colon < end && text.charCodeAt(colon) === SPACE) colon += 1;
      if (text.charCodeAt(colon) !== COLON) return -1;
      return colon + 1 === end || text.charCodeAt(colon + 1) === SPACE ? colon : -1;
    }
    for (let colon = find(text, ':', from, end); colon >= 0; colon = find(text, ':', colon + 1, end)) {
      const after = colon + 1;
      if (after === end || text.charCodeAt(after) === SPACE || text.charCodeAt(after) === TAB) {
        // A comment before it: ` # a: b` is no key.
        if (this.hash(at, colon) >= 0) return -1;
        return colon;
      }
    }
    return -1;
  }

  /** Offset after the closing quote of the scalar quoted at `at`, or -1 when it does not close on this line. */
  private quoteEnd(at: number, end: number): number {
    const text = this.text;
    const quote = text.charCodeAt(at);
    for (let i = at + 1; i < end; i += 1) {
      const c = text.charCodeAt(i);
      if (quote === DQUOTE && c === 0x5c /* \ */) i += 1;
      else if (c === quote) {
        if (quote === SQUOTE && text.charCodeAt(i + 1) === SQUOTE) i += 1;
        else return i + 1;
      }
    }
    return -1;
  }

  private mapping(indent: number, items?: (lines: number[]) => void): Record<string, unknown> {
    const text = this.text;
    const map: Record<string, unknown> = {};
    /** The keys set so far: a few, compared by identity mostly (known keys are the same strings). */
    const keys: string[] = [];
    for (;;) {
      const col = this.nextCol();
      if (col < indent) break;
      if (col > indent) giveUp();
      const line = this.line;
      if (this.isSequenceEntry(line)) break;
      const colon = this.keyEnd(line);
      if (colon < 0) giveUp();
      const key = this.key(this.at(line), colon);
      let value: unknown;
      let rest = colon + 1;
      const end = this.ends[line]!;
      while (rest < end && (text.charCodeAt(rest) === SPACE || text.charCodeAt(rest) === TAB)) rest += 1;
      // `key: &name value`: an anchor on the value (what the `yaml` package prints for a repeated object).
      let anchor: string | undefined;
      if (text.charCodeAt(rest) === 0x26 /* & */) {
        let nameEnd = rest + 1;
        while (nameEnd < end && !anchorEnd.has(text.charCodeAt(nameEnd))) nameEnd += 1;
        if (nameEnd === rest + 1) giveUp();
        anchor = text.slice(rest + 1, nameEnd);
        rest = nameEnd;
        while (rest < end && (text.charCodeAt(rest) === SPACE || text.charCodeAt(rest) === TAB)) rest += 1;
      }
      const aliasesBefore = this.aliases;
      if (rest === end || text.charCodeAt(rest) === HASH) {
        this.line += 1;
        const next = this.nextCol();
        const itemsOf = key === 'items' ? items : undefined;
        if (next > indent) value = this.block(indent, itemsOf);
        else if (next === indent && this.isSequenceEntry(this.line)) value = this.sequence(indent, itemsOf);
        else value = null;
      } else {
        value = this.inline(line, rest, indent);
      }
      if (anchor !== undefined) {
        // An anchored node holding aliases is left to yaml, which bounds their expansion.
        if (this.aliases !== aliasesBefore) giveUp();
        this.anchors.set(anchor, { value, uses: 0 });
      }
      if (keys.includes(key)) giveUp();
      keys.push(key);
      // A key Object.prototype has (`__proto__`, `constructor`) is set as yaml sets it: as an own property.
      if (prototypeKeys.has(key)) Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
      else map[key] = value;
    }
    return map;
  }

  private key(at: number, colon: number): string {
    const text = this.text;
    const c = text.charCodeAt(at);
    // Keys repeat (a few hundred across all of Kubernetes): one read before, compared in place, is neither cut from
    // the text again nor hashed again as a property name.
    const known = knownKeys.get(c * 64 + ((colon - at) & 63));
    if (known) {
      for (const key of known) {
        if (key.length === colon - at && text.startsWith(key, at)) return key;
      }
    }
    const key = this.newKey(at, colon);
    if (c !== DQUOTE && c !== SQUOTE && key.length === colon - at && knownKeyCount < 10_000) {
      knownKeyCount += 1;
      const slot = c * 64 + ((colon - at) & 63);
      const list = knownKeys.get(slot);
      if (list) list.push(key);
      else knownKeys.set(slot, [key]);
    }
    return key;
  }

  private newKey(at: number, colon: number): string {
    const text = this.text;
    const c = text.charCodeAt(at);
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.quoteEnd(at, colon + 1);
      return this.quoted(at, close);
    }
    if (indicatorStart.has(c) || (c === DASH && (text.charCodeAt(at + 1) === SPACE || at + 1 === colon))) giveUp();
    let end = colon;
    while (end > at && (text.charCodeAt(end - 1) === SPACE || text.charCodeAt(end - 1) === TAB)) end -= 1;
    const key = text.slice(at, end);
    if (key === '<<') giveUp();
    const resolved = this.scalars.resolve(key);
    if (resolved !== key) giveUp();
    return key;
  }

  /** The node nested under a `key:` or `-` alone on its line, indented more than `parent`. */
  private block(parent: number, items?: (lines: number[]) => void): unknown {
    const col = this.cols[this.line]!;
    if (col <= parent) giveUp();
    if (this.isSequenceEntry(this.line)) return this.sequence(col, items);
    if (this.keyEnd(this.line) >= 0) return this.mapping(col);
    giveUp();
  }

  private sequence(indent: number, items: ((lines: number[]) => void) | undefined): unknown[] {
    const text = this.text;
    const list: unknown[] = [];
    const lines: number[] = [];
    for (;;) {
      const col = this.nextCol();
      if (col < indent) break;
      if (col > indent) giveUp();
      const line = this.line;
      if (!this.isSequenceEntry(line)) break;
      lines.push(this.firstLine + line);
      const end = this.ends[line]!;
      let rest = this.at(line) + 1;
      while (rest < end && text.charCodeAt(rest) === SPACE) rest += 1;
      if (rest < end && text.charCodeAt(rest) === TAB) giveUp();
      if (rest === end || text.charCodeAt(rest) === HASH) {
        this.line += 1;
        list.push(this.nextCol() > indent ? this.block(indent) : null);
        continue;
      }
      // `- key: v` and `- - v`: the rest of the line is the first line of a node at its own column.
      const inner = rest - this.starts[line]!;
      this.cols[line] = inner;
      if (this.isSequenceEntry(line)) list.push(this.sequence(inner, undefined));
      else if (this.keyEnd(line) >= 0) list.push(this.mapping(inner));
      else list.push(this.inline(line, rest, indent));
      const next = this.nextCol();
      if (next > indent) giveUp();
    }
    items?.(lines);
    return list;
  }

  /** A value on the rest of its line (from `at`), or a block scalar starting there; moves past what it read. */
  private inline(line: number, at: number, parent: number): unknown {
    const text = this.text;
    const end = this.ends[line]!;
    const c = text.charCodeAt(at);
    let value: unknown;
    let after: number;
    if (c === 0x7c /* | */) return this.literal(line, at, parent);
    if (c === 0x2a /* * */) {
      let nameEnd = at + 1;
      while (nameEnd < end && !anchorEnd.has(text.charCodeAt(nameEnd))) nameEnd += 1;
      const anchored = this.anchors.get(text.slice(at + 1, nameEnd));
      if (!anchored || ++anchored.uses > 100) giveUp();
      this.aliases += 1;
      this.trailing(nameEnd, end);
      this.line = line + 1;
      if (this.nextCol() > parent) giveUp();
      return anchored.value;
    }
    if (c === DQUOTE || c === SQUOTE) {
      after = this.quoteEnd(at, end);
      if (after < 0) giveUp();
      value = this.quoted(at, after);
    } else if (c === 0x5b /* [ */) {
      after = find(text, ']', at, end);
      if (after < 0) giveUp();
      value = this.flowSequence(at + 1, after);
      after += 1;
    } else if (c === 0x7b /* { */) {
      let close = at + 1;
      while (close < end && text.charCodeAt(close) === SPACE) close += 1;
      if (text.charCodeAt(close) !== 0x7d /* } */) giveUp();
      value = {};
      after = close + 1;
    } else {
      if (indicatorStart.has(c) || c === DASH && (at + 1 === end || text.charCodeAt(at + 1) === SPACE)) giveUp();
      let stop = end;
      for (let hash = this.hash(at, end); hash >= 0; hash = this.hash(hash + 1, end)) {
        const before = text.charCodeAt(hash - 1);
        if (before === SPACE || before === TAB) {
          stop = hash;
          break;
        }
      }
      let last = stop;
      while (last > at && (text.charCodeAt(last - 1) === SPACE || text.charCodeAt(last - 1) === TAB)) last -= 1;
      const plain = text.slice(at, last);
      // `a: b: c` is an error for yaml; a mapping inside a plain scalar is left to it.
      if (!plainText(plain)) giveUp();
      this.line = line + 1;
      if (stop === end) return this.scalars.resolve(this.continued(plain, parent));
      value = this.scalars.resolve(plain);
      after = end;
    }
    this.trailing(after, end);
    this.line = line + 1;
    // A more indented line after a quoted or flow value would continue it.
    if (this.nextCol() > parent) giveUp();
    return value;
  }

  /** A plain scalar continued on the lines after it, more indented than `parent`: folded as YAML folds them. */
  private continued(first: string, parent: number): string {
    const text = this.text;
    let value = first;
    const count = this.count;
    for (;;) {
      let index = this.line;
      let blanks = 0;
      for (; index < count && this.cols[index] === -1; index += 1) {
        const start = this.starts[index]!;
        const lineEnd = this.ends[index]!;
        let at = start;
        while (at < lineEnd && (text.charCodeAt(at) === SPACE || text.charCodeAt(at) === TAB)) at += 1;
        if (at < lineEnd) {
          // A comment: it ends the scalar, and nothing may continue it after.
          let after = index + 1;
          while (after < count && this.cols[after] === -1) after += 1;
          if (after < count && this.cols[after]! > parent) giveUp();
          return value;
        }
        blanks += 1;
      }
      if (index >= count || this.cols[index]! <= parent) return value;
      const start = this.starts[index]! + this.cols[index]!;
      const lineEnd = this.ends[index]!;
      if (this.hash(start, lineEnd) >= 0) giveUp();
      const part = text.slice(start, lineEnd).trimEnd();
      if (!plainText(part) || indicatorStart.has(part.charCodeAt(0)) || part.charCodeAt(0) === DASH) giveUp();
      value += blanks > 0 ? '\n'.repeat(blanks) : ' ';
      value += part;
      this.line = index + 1;
    }
  }

  /** Only blanks or a comment may follow a value on its line. */
  private trailing(from: number, end: number): void {
    const text = this.text;
    let at = from;
    while (at < end && (text.charCodeAt(at) === SPACE || text.charCodeAt(at) === TAB)) at += 1;
    if (at < end && !(text.charCodeAt(at) === HASH && at > from)) giveUp();
  }

  private quoted(at: number, after: number): string {
    const text = this.text;
    const inner = text.slice(at + 1, after - 1);
    if (text.charCodeAt(at) === SQUOTE) return inner.includes("''") ? inner.replaceAll("''", "'") : inner;
    if (!inner.includes('\\')) {
      // eslint-disable-next-line no-control-regex -- yaml takes a tab in double quotes, JSON.parse does not: left to yaml
      if (/[\u0000-\u001f]/.test(inner)) giveUp();
      return inner;
    }
    // JSON's escapes are YAML's too; YAML's others (\x, \e, \0, \N, a line continuation...) are left to yaml.
    if (/\\[^"\\/bfnrtu]/.test(inner.replaceAll('\\\\', ''))) giveUp();
    try {
      return JSON.parse(`"${inner}"`) as string;
    } catch {
      giveUp();
    }
  }

  private flowSequence(from: number, to: number): unknown[] {
    const text = this.text;
    const body = text.slice(from, to);
    if (body.trim() === '') return [];
    if (/[[\]{}#]/.test(body)) giveUp();
    const list: unknown[] = [];
    let at = from;
    while (at <= to) {
      while (at < to && text.charCodeAt(at) === SPACE) at += 1;
      if (at >= to) giveUp(); // an empty entry, or a trailing comma
      const c = text.charCodeAt(at);
      let next: number;
      if (c === DQUOTE || c === SQUOTE) {
        const after = this.quoteEnd(at, to);
        if (after < 0) giveUp();
        list.push(this.quoted(at, after));
        next = after;
        while (next < to && text.charCodeAt(next) === SPACE) next += 1;
        if (next < to && text.charCodeAt(next) !== 0x2c) giveUp();
      } else {
        next = find(text, ',', at, to);
        if (next < 0) next = to;
        const plain = text.slice(at, next).trimEnd();
        if (indicatorStart.has(c) || c === DASH && plain.length === 1 || plain.includes(':')) giveUp();
        list.push(this.scalars.resolve(plain));
      }
      at = next + 1;
    }
    return list;
  }

  /** A literal block scalar (`|`, `|-`, `|+`) whose header is at `at`; its lines are indented more than `parent`. */
  private literal(line: number, at: number, parent: number): string {
    const text = this.text;
    const end = this.ends[line]!;
    let header = at + 1;
    const chomp = text.charCodeAt(header);
    const keep = chomp === 0x2b; /* + */
    const strip = chomp === DASH;
    if (keep || strip) header += 1;
    const afterHeader = text.charCodeAt(header);
    if (header < end && afterHeader !== SPACE && afterHeader !== TAB) giveUp(); // an indentation indicator
    this.trailing(header, end);
    const count = this.count;
    let index = line + 1;
    // The content's indentation is the first non-blank line's; a blank line before it may not be longer.
    let longestBlank = 0;
    let indent = -1;
    for (; index < count; index += 1) {
      const start = this.starts[index]!;
      const lineEnd = this.ends[index]!;
      let spaces = start;
      while (spaces < lineEnd && text.charCodeAt(spaces) === SPACE) spaces += 1;
      if (spaces === lineEnd) {
        longestBlank = Math.max(longestBlank, lineEnd - start);
        continue;
      }
      indent = spaces - start;
      break;
    }
    if (indent <= parent || longestBlank > indent) giveUp();
    const body: string[] = [];
    let trailingBlanks = 0;
    let last = line;
    for (index = line + 1; index < count; index += 1) {
      const start = this.starts[index]!;
      const lineEnd = this.ends[index]!;
      let spaces = start;
      while (spaces < lineEnd && text.charCodeAt(spaces) === SPACE) spaces += 1;
      if (spaces === lineEnd) {
        if (lineEnd - start > indent) giveUp();
        trailingBlanks += 1;
        continue;
      }
      if (spaces - start < indent) break;
      for (; trailingBlanks > 0; trailingBlanks -= 1) body.push('');
      body.push(text.slice(start + indent, lineEnd));
      last = index;
    }
    // The last line of the text without a line feed after it: yaml's clipping there is its own business.
    if (this.ends[last] === text.length) giveUp();
    this.line = last + 1;
    const content = body.join('\n');
    if (strip) return content;
    if (keep) return `${content}\n${'\n'.repeat(trailingBlanks)}`;
    return `${content}\n`;
  }
}

/** Whether the line starting at `at` is a document marker: `---` followed by a blank or the line's end. */
function markerAt(text: string, at: number): boolean {
  if (!text.startsWith('---', at)) return false;
  const next = text.charCodeAt(at + 3);
  return next === SPACE || next === TAB || next === 0x0a || next === 0x0d;
}

/** Where each document of `text` starts: 0, and each `---` marker line (directive lines just before it included). */
export function documentStarts(text: string): number[] {
  const starts = [0];
  for (let at = markerAt(text, 0) ? text.indexOf('\n---') : text.indexOf('\n---'); at >= 0; at = text.indexOf('\n---', at + 1)) {
    if (!markerAt(text, at + 1)) continue;
    let start = at + 1;
    // `%YAML 1.1` / `%TAG` lines belong to the document after them.
    for (;;) {
      const previous = text.lastIndexOf('\n', start - 2) + 1;
      if (start === 0 || previous >= start || text.charCodeAt(previous) !== 0x25) break;
      start = previous;
    }
    if (start > starts.at(-1)!) starts.push(start);
  }
  return starts;
}

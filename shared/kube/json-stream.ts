// JSON read in chunks, one top-level value at a time, with the `items` array of a top-level object read item by
// item: a 300 MB `PodList` is never one string or one parsed tree. Each value is cut out of the text by bracket
// depth (strings skipped) and handed to JSON.parse, which validates it. Pure: the caller feeds the chunks.

export type JsonEvent =
  /** A top-level value that is not an object (an array, a string, a number...). */
  | { type: 'value'; value: unknown; line: number }
  | { type: 'object-start'; line: number }
  /** A field of a top-level object, other than an `items` array. */
  | { type: 'field'; key: string; value: unknown }
  | { type: 'items-start' }
  | { type: 'item'; value: unknown; line: number }
  | { type: 'object-end' };

/** Malformed JSON, at a 1-based line and column. Nothing after it can be read reliably. */
export class JsonStreamError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(message);
    this.line = line;
    this.column = column;
  }
}

type State = 'top' | 'key' | 'colon' | 'field' | 'next-field' | 'items' | 'next-item';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (code: number): boolean => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
const isDelimiter = (code: number): boolean => isSpace(code) || code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET;

/** Where the string whose body starts at `from` ends (just after its closing quote), or -1 when the text stops first. */
function stringEnd(text: string, from: number): number {
  let at = from;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}

export class JsonStream {
  private readonly onEvent: (event: JsonEvent) => void;
  /** Text not yet consumed; `pos` indexes it. */
  private buffer = '';
  private pos = 0;
  private state: State = 'top';
  /** Line of `buffer[lineAt]`, and where in `buffer` that line starts (negative once it was dropped). */
  private line = 1;
  private lineAt = 0;
  private lineStart = 0;
  /** The value being cut out: where it starts, how far it was scanned, its depth, whether the scan is in a string. */
  private valueStart = -1;
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private scalar = false;
  private key = '';
  private ended = false;

  /** `onEvent` gets each event as it completes, so those before a syntax error are not lost with it. */
  constructor(onEvent: (event: JsonEvent) => void) {
    this.onEvent = onEvent;
  }

  /** Feed the next chunk. */
  write(chunk: string): void {
    if (this.pos > 0) {
      this.position(this.pos);
      this.buffer = this.buffer.slice(this.pos);
      this.lineAt -= this.pos;
      this.lineStart -= this.pos;
      if (this.valueStart >= 0) {
        this.valueStart -= this.pos;
        this.scanned -= this.pos;
      }
      this.pos = 0;
    }
    this.buffer += chunk;
    this.run();
  }

  /** The input is over: throws when a value was left open. */
  end(): void {
    this.ended = true;
    this.run();
    if (this.state !== 'top' || this.valueStart >= 0) {
      const { line, column } = this.position(this.buffer.length);
      throw new JsonStreamError('unexpected end of the JSON input', line, column);
    }
  }

  private run(): void {
    const events = { push: this.onEvent };
    const text = this.buffer;
    for (;;) {
      if (this.valueStart >= 0) {
        const end = this.valueEnd();
        if (end < 0) return;
        const start = this.valueStart;
        this.valueStart = -1;
        this.pos = end;
        this.finishValue(text.slice(start, end), start);
        continue;
      }
      let at = this.pos;
      while (at < text.length && isSpace(text.charCodeAt(at))) at += 1;
      this.pos = at;
      if (at >= text.length) return;
      const code = text.charCodeAt(at);
      switch (this.state) {
        case 'top':
          if (code === OPEN_BRACE) {
            events.push({ type: 'object-start', line: this.position(at).line });
            this.state = 'key';
            this.pos = at + 1;
          } else this.startValue(at);
          break;
        case 'key':
        case 'next-field':
          if (code === CLOSE_BRACE) {
            events.push({ type: 'object-end' });
            this.state = 'top';
            this.pos = at + 1;
          } else if (this.state === 'next-field') {
            if (code !== COMMA) this.fail(at, "expected ',' or '}' after a field of the object");
            this.state = 'key';
            this.pos = at + 1;
          } else if (code === QUOTE) this.startValue(at);
          else this.fail(at, 'expected a double-quoted field name');
          break;
        case 'colon':
          if (code !== COLON) this.fail(at, "expected ':' after the field name");
          this.state = 'field';
          this.pos = at + 1;
          break;
        case 'field':
          if (this.key === 'items' && code === OPEN_BRACKET) {
            events.push({ type: 'items-start' });
            this.state = 'items';
            this.pos = at + 1;
          } else this.startValue(at);
          break;
        case 'items':
        case 'next-item':
          if (code === CLOSE_BRACKET) {
            this.state = 'next-field';
            this.pos = at + 1;
          } else if (this.state === 'next-item') {
            if (code !== COMMA) this.fail(at, "expected ',' or ']' after an item of the list");
            this.state = 'items';
            this.pos = at + 1;
          } else this.startValue(at);
          break;
      }
    }
  }

  private startValue(at: number): void {
    this.valueStart = at;
    this.scanned = at;
    this.depth = 0;
    this.inString = false;
    const code = this.buffer.charCodeAt(at);
    this.scalar = code !== OPEN_BRACE && code !== OPEN_BRACKET && code !== QUOTE;
  }

  /** Where the value being cut out ends in `buffer`, or -1 when more input is needed. */
  private valueEnd(): number {
    const text = this.buffer;
    let at = this.scanned;
    if (this.inString) {
      const end = stringEnd(text, at);
      if (end < 0) return this.wait(text.length);
      this.inString = false;
      if (this.depth === 0) return end;
      at = end;
    }
    if (at === this.valueStart && text.charCodeAt(at) === QUOTE) {
      const end = stringEnd(text, at + 1);
      if (end < 0) {
        this.inString = true;
        return this.wait(text.length);
      }
      return end;
    }
    if (this.scalar) {
      while (at < text.length && !isDelimiter(text.charCodeAt(at))) at += 1;
      return at < text.length || this.ended ? at : this.wait(at);
    }
    let depth = this.depth;
    // Jump from bracket to bracket (a regular expression search is native code; a loop over characters is not).
    const structural = /["[\]{}]/g;
    structural.lastIndex = at;
    for (let match = structural.exec(text); match; match = structural.exec(text)) {
      const code = text.charCodeAt(match.index);
      if (code === QUOTE) {
        const end = stringEnd(text, match.index + 1);
        if (end < 0) {
          this.depth = depth;
          this.inString = true;
          return this.wait(text.length);
        }
        structural.lastIndex = end;
      } else if (code === OPEN_BRACE || code === OPEN_BRACKET) depth += 1;
      else {
        depth -= 1;
        if (depth === 0) return match.index + 1;
      }
    }
    this.depth = depth;
    return this.wait(text.length);
  }

  private wait(scanned: number): number {
    this.scanned = scanned;
    return -1;
  }

  private finishValue(source: string, start: number): void {
    const events = { push: this.onEvent };
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      const message = (error as Error).message;
      const offset = Number(/at position (\d+)/.exec(message)?.[1] ?? 0);
      this.fail(start + offset, message.replace(/ in JSON at position \d+( \(line \d+ column \d+\))?/, ''));
    }
    switch (this.state) {
      case 'top':
        events.push({ type: 'value', value, line: this.position(start).line });
        break;
      case 'key':
        this.key = value as string;
        this.state = 'colon';
        break;
      case 'field':
        events.push({ type: 'field', key: this.key, value });
        this.state = 'next-field';
        break;
      case 'items':
        events.push({ type: 'item', value, line: this.position(start).line });
        this.state = 'next-item';
        break;
      default:
        break;
    }
  }

  /** Line and column of `buffer[at]`, counting the newlines since the last position asked for (positions only grow). */
  private position(at: number): { line: number; column: number } {
    const text = this.buffer;
    for (let newline = text.indexOf('\n', this.lineAt); newline >= 0 && newline < at; newline = text.indexOf('\n', newline + 1)) {
      this.line += 1;
      this.lineStart = newline + 1;
    }
    this.lineAt = Math.max(this.lineAt, at);
    return { line: this.line, column: at - this.lineStart + 1 };
  }

  private fail(at: number, message: string): never {
    const { line, column } = this.position(at);
    throw new JsonStreamError(message, line, column);
  }
}

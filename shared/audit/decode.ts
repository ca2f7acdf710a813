// Audit events in, from the two places they come from: a CloudWatch Logs subscription payload (`awslogs.data`:
// base64 of gzip of JSON) and an exported audit log (JSON lines, or `aws logs filter-log-events` output). A line that
// is not an audit event is an error for that line only; the batch goes on. Error texts never quote a line: a request
// body can hold a secret value.
import { gunzipSync } from 'node:zlib';
import * as z from 'zod';
import { JsonStream, JsonStreamError } from '../kube/json-stream.ts';
import { auditEventSchema, type AuditEvent } from '../model/audit.ts';

export const logEventSchema = z.object({
  id: z.string(),
  timestamp: z.number(),
  message: z.string(),
});
export type LogEvent = z.infer<typeof logEventSchema>;

export const subscriptionPayloadSchema = z.object({
  messageType: z.enum(['DATA_MESSAGE', 'CONTROL_MESSAGE']),
  owner: z.string(),
  logGroup: z.string(),
  logStream: z.string(),
  subscriptionFilters: z.array(z.string()),
  logEvents: z.array(logEventSchema),
});
export type SubscriptionPayload = z.infer<typeof subscriptionPayloadSchema>;

export type PayloadErrorReason = 'base64' | 'gzip' | 'json' | 'shape';

/** A subscription payload that cannot be read at all: nothing in it can be trusted, so the whole batch is rejected. */
export class AuditPayloadError extends Error {
  readonly reason: PayloadErrorReason;
  constructor(reason: PayloadErrorReason, message: string) {
    super(message);
    this.name = 'AuditPayloadError';
    this.reason = reason;
  }
}

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes `awslogs.data`; throws AuditPayloadError saying which layer is broken. */
export function decodeSubscriptionData(data: string): SubscriptionPayload {
  if (data.length === 0 || data.length % 4 !== 0 || !base64Pattern.test(data)) {
    throw new AuditPayloadError('base64', `awslogs.data is not base64 (${data.length} characters)`);
  }
  let json: string;
  try {
    json = gunzipSync(Buffer.from(data, 'base64')).toString('utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' ? 'truncated' : (error as Error).message;
    throw new AuditPayloadError('gzip', `awslogs.data is not a complete gzip stream: ${why}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new AuditPayloadError('json', `awslogs.data does not hold JSON: ${(error as Error).message}`);
  }
  const parsed = subscriptionPayloadSchema.safeParse(value);
  if (!parsed.success) {
    throw new AuditPayloadError('shape', `awslogs.data is not a CloudWatch Logs subscription payload: ${issuesText(parsed.error)}`);
  }
  return parsed.data;
}

/** The first few zod issues as `path: message`, never the offending value. */
export function issuesText(error: z.ZodError, max = 3): string {
  const issues = error.issues.slice(0, max).map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top)'}: ${issue.message}`);
  const more = error.issues.length - max;
  return issues.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

export type ParsedMessage = { event: AuditEvent } | { error: string };

/** One log line as an audit event, or why it is not one. */
export function parseAuditMessage(message: string): ParsedMessage {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return { error: 'not JSON (the log stream holds something other than audit events)' };
  }
  return parseAuditValue(value);
}

function parseAuditValue(value: unknown): ParsedMessage {
  const parsed = auditEventSchema.safeParse(value);
  if (parsed.success) return { event: parsed.data };
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (kind !== 'Event') return { error: 'not an audit event (no "kind": "Event")' };
  return { error: `not a valid audit.k8s.io/v1 Event: ${issuesText(parsed.error)}` };
}

export interface AuditLineError {
  /** Where in its input: `line 12`, `event 3 (id …)`, `events[3]`. */
  where: string;
  /** 1-based line of the input file, when the input has lines. */
  line?: number;
  message: string;
}

export interface ParsedBatch {
  events: AuditEvent[];
  errors: AuditLineError[];
}

/** The audit events of a decoded payload; a CONTROL_MESSAGE (CloudWatch's connectivity check) holds none. */
export function auditEventsOf(payload: SubscriptionPayload): ParsedBatch {
  const batch: ParsedBatch = { events: [], errors: [] };
  if (payload.messageType === 'CONTROL_MESSAGE') return batch;
  payload.logEvents.forEach((logEvent, index) => {
    const parsed = parseAuditMessage(logEvent.message);
    if ('event' in parsed) batch.events.push(parsed.event);
    else batch.errors.push({ where: `log event ${index + 1} (id ${logEvent.id}, stream ${payload.logStream})`, message: parsed.error });
  });
  return batch;
}

const logGroupPattern = /^\/aws\/eks\/([^/]+)\/cluster$/;

/** `/aws/eks/<cluster>/cluster` → `<cluster>`; undefined for any other group. */
export function clusterNameOfLogGroup(logGroup: string): string | undefined {
  return logGroupPattern.exec(logGroup)?.[1];
}

export type AuditLogRecord = ({ event: AuditEvent } | { error: string }) & { where: string; line?: number };

/** A timestamp before the JSON, as CloudWatch Logs exports to S3 write each line. */
const timestampPrefix = /^\d{4}-\d\d-\d\dT\S+\s+(?=\{)/;

/**
 * Reads an exported audit log, streaming: JSON lines (one Event a line, as the API server's log backend writes them,
 * optionally with the timestamp prefix of a CloudWatch Logs export), or the JSON document(s) `aws logs
 * filter-log-events` prints (`{ "events": [{ "message": "<event JSON>" }] }`), told apart by their first line.
 */
export async function* readAuditLog(chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<AuditLogRecord> {
  let mode: 'lines' | 'document' | undefined;
  let document: DocumentReader | undefined;
  for await (const { text, line } of linesOf(chunks)) {
    if (mode === undefined) {
      if (text.trim() === '') continue;
      mode = isCompleteJson(text.trim()) || timestampPrefix.test(text) ? 'lines' : 'document';
      if (mode === 'document') document = new DocumentReader();
    }
    if (document) {
      yield* document.write(`${text}\n`);
      continue;
    }
    const trimmed = text.trim();
    if (trimmed === '') continue;
    const parsed = parseAuditMessage(trimmed.replace(timestampPrefix, ''));
    yield { ...parsed, where: `line ${line}`, line };
  }
  if (document) yield* document.end();
}

function isCompleteJson(text: string): boolean {
  if (!text.startsWith('{')) return true; // not JSON at all: line mode reports it line by line
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function* linesOf(chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<{ text: string; line: number }> {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  let line = 0;
  for await (const chunk of chunks) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline = rest.indexOf('\n');
    while (newline >= 0) {
      line += 1;
      yield { text: rest.slice(0, newline).replace(/\r$/, ''), line };
      rest = rest.slice(newline + 1);
      newline = rest.indexOf('\n');
    }
  }
  rest += decoder.decode();
  if (rest.length > 0) yield { text: rest.replace(/\r$/, ''), line: line + 1 };
}

const filterLogEventsSchema = z.array(z.object({ message: z.string(), logStreamName: z.string().optional(), eventId: z.string().optional() }));

/** `aws logs filter-log-events` output, one top-level document (a page) at a time. */
class DocumentReader {
  private pending: AuditLogRecord[] = [];
  private readonly stream: JsonStream;
  private documents = 0;
  private index = 0;
  /** After malformed JSON nothing can be read reliably: the rest is skipped, reported once. */
  private failed = false;

  constructor() {
    this.stream = new JsonStream((event) => {
      if (event.type === 'object-start') this.documents += 1;
      if (event.type === 'value') {
        this.pending.push({ where: `line ${event.line}`, line: event.line, error: 'not a filter-log-events document (expected an object with "events")' });
      }
      if (event.type !== 'field' || event.key !== 'events') return;
      const parsed = filterLogEventsSchema.safeParse(event.value);
      if (!parsed.success) {
        this.pending.push({ where: `document ${this.documents}`, error: `"events" is not a list of log events: ${issuesText(parsed.error)}` });
        return;
      }
      for (const logEvent of parsed.data) {
        this.index += 1;
        const where = `events[${this.index - 1}]${logEvent.eventId ? ` (eventId ${logEvent.eventId})` : ''}`;
        this.pending.push({ ...parseAuditMessage(logEvent.message), where });
      }
    });
  }

  *write(text: string): Generator<AuditLogRecord> {
    if (this.failed) return;
    try {
      this.stream.write(text);
    } catch (error) {
      this.fail(error);
    }
    yield* this.drain();
  }

  *end(): Generator<AuditLogRecord> {
    if (this.failed) return;
    try {
      this.stream.end();
    } catch (error) {
      this.fail(error);
    }
    yield* this.drain();
  }

  private fail(error: unknown): void {
    if (!(error instanceof JsonStreamError)) throw error;
    this.failed = true;
    this.pending.push({ where: `line ${error.line}`, line: error.line, error: `malformed JSON at column ${error.column}: ${error.message}; the rest of the input was not read` });
  }

  private *drain(): Generator<AuditLogRecord> {
    const pending = this.pending;
    this.pending = [];
    yield* pending;
  }
}

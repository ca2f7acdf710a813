// A local stand-in for Slack: an incoming webhook and chat.postMessage that check Block Kit limits the way Slack
// refuses messages, and keep what they accepted (for the tests and the demo's slack/ folder).
import type { IncomingMessage } from 'node:http';
import { blockKitViolations } from '../notify/slack/message.ts';
import { HttpReceiver, type Fault, type ReceiverOptions, type Reply } from './http-receiver.ts';

export interface SlackReceiverOptions extends ReceiverOptions {
  /** Token chat.postMessage accepts (default `xoxb-periscope-test`). */
  botToken?: string;
  /** Channels chat.postMessage knows (default: any). */
  channels?: string[];
}

export interface ReceivedSlackMessage {
  via: 'webhook' | 'chat.postMessage';
  channel?: string;
  /** chat.postMessage's timestamp. */
  ts?: string;
  text: string;
  blocks: unknown[];
  body: Record<string, unknown>;
}

export interface RejectedSlackMessage {
  via: 'webhook' | 'chat.postMessage';
  error: string;
  problems: string[];
}

const webhookPath = '/services/T00000000/B00000000/periscopetestwebhook';

export class SlackReceiver extends HttpReceiver {
  readonly messages: ReceivedSlackMessage[] = [];
  readonly rejected: RejectedSlackMessage[] = [];
  readonly #botToken: string;
  readonly #channels: Set<string> | undefined;
  #ts = 0;

  constructor(options: SlackReceiverOptions = {}) {
    super(options);
    this.#botToken = options.botToken ?? 'xoxb-periscope-test';
    this.#channels = options.channels ? new Set(options.channels) : undefined;
  }

  get webhookUrl(): string {
    return `${this.origin}${webhookPath}`;
  }

  /** The Web API base for SlackSender's `apiUrl`. */
  get apiUrl(): string {
    return `${this.origin}/api`;
  }

  get botToken(): string {
    return this.#botToken;
  }

  protected faultBody(fault: Fault, url: URL): unknown {
    const code = fault.status === 429 ? 'rate_limited' : fault.status >= 500 ? 'rollup_error' : 'invalid_payload';
    return url.pathname.startsWith('/api/') ? { ok: false, error: fault.status === 429 ? 'ratelimited' : code } : code;
  }

  protected handle(method: string, url: URL, body: unknown, _raw: string, req: IncomingMessage): Reply {
    if (method === 'GET' && url.pathname === '/api/conversations.history') return this.#history(url, req);
    if (method !== 'POST') return { status: 405, body: 'invalid_method' };
    if (url.pathname === '/api/chat.postMessage') return this.#postMessage(body, req);
    if (url.pathname.startsWith('/services/')) return this.#webhook(url, body);
    return { status: 404, body: 'no_service' };
  }

  #webhook(url: URL, body: unknown): Reply {
    if (url.pathname !== webhookPath) return { status: 403, body: 'invalid_token' };
    if (!body || typeof body !== 'object' || Array.isArray(body)) return this.#reject('webhook', 'invalid_payload', ['body is not a JSON object'], 400);
    const message = body as Record<string, unknown>;
    const problems = blockKitViolations(message);
    if (problems.length > 0) return this.#reject('webhook', problems[0] === 'no top-level text fallback' ? 'no_text' : 'invalid_blocks', problems, 400);
    this.#accept('webhook', message, undefined);
    return { status: 200, body: 'ok' };
  }

  #postMessage(body: unknown, req: IncomingMessage): Reply {
    if (req.headers.authorization !== `Bearer ${this.#botToken}`) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
    if (!body || typeof body !== 'object' || Array.isArray(body)) return this.#reject('chat.postMessage', 'invalid_arguments', ['body is not a JSON object'], 200);
    const message = body as Record<string, unknown>;
    const channel = typeof message.channel === 'string' ? message.channel : '';
    if (!channel || (this.#channels && !this.#channels.has(channel))) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
    const problems = blockKitViolations(message);
    if (problems.length > 0) return this.#reject('chat.postMessage', 'invalid_blocks', problems, 200);
    this.#ts += 1;
    const ts = `1700000000.${String(this.#ts).padStart(6, '0')}`;
    this.#accept('chat.postMessage', message, channel, ts);
    return { status: 200, body: { ok: true, channel, ts } };
  }

  /** conversations.history: the channel's messages, newest first, with their metadata when asked for. */
  #history(url: URL, req: IncomingMessage): Reply {
    if (req.headers.authorization !== `Bearer ${this.#botToken}`) return { status: 200, body: { ok: false, error: 'invalid_auth' } };
    const channel = url.searchParams.get('channel') ?? '';
    if (!channel || (this.#channels && !this.#channels.has(channel))) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
    const withMetadata = url.searchParams.get('include_all_metadata') === 'true';
    const limit = Number(url.searchParams.get('limit') ?? '100');
    const messages = this.messages
      .filter((m) => m.via === 'chat.postMessage' && m.channel === channel)
      .reverse()
      .slice(0, limit)
      .map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(withMetadata && m.body.metadata ? { metadata: m.body.metadata } : {}) }));
    return { status: 200, body: { ok: true, messages, has_more: false } };
  }

  #accept(via: ReceivedSlackMessage['via'], body: Record<string, unknown>, channel: string | undefined, ts?: string): void {
    const received: ReceivedSlackMessage = {
      via,
      text: typeof body.text === 'string' ? body.text : '',
      blocks: Array.isArray(body.blocks) ? body.blocks : [],
      body,
    };
    if (channel) received.channel = channel;
    if (ts) received.ts = ts;
    this.messages.push(received);
  }

  #reject(via: RejectedSlackMessage['via'], error: string, problems: string[], status: number): Reply {
    this.rejected.push({ via, error, problems });
    return via === 'webhook' ? { status, body: error } : { status, body: { ok: false, error, response_metadata: { messages: problems } } };
  }
}

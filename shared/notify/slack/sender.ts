// Delivers a Slack message through an incoming webhook or chat.postMessage. 429 waits for Retry-After, 5xx and
// network failures back off, anything else is a typed error that says what to fix. The URL and token stay secret.
import {
  assertSafeEndpoint,
  DeliveryError,
  isRetryableStatus,
  networkFailureCode,
  retryAfterMs,
  withRetries,
  type FetchLike,
  type RetryOptions,
} from '../http.ts';
import { silentLogger, systemClock, type Clock, type Logger } from '../../model/cross-cutting.ts';
import { secretJson, stringField } from '../secrets.ts';
import type { SlackMessage } from './message.ts';

export type SlackTarget = { kind: 'webhook'; url: string } | { kind: 'bot'; token: string; channel: string };

export class SlackDeliveryError extends DeliveryError {
  override readonly name = 'SlackDeliveryError';
}

/** What to do about each error Slack can answer (webhooks since 2016, and chat.postMessage). */
const hints: Record<string, string> = {
  invalid_payload: 'the message was malformed; this is a Periscope bug, please report it with the logged block count',
  invalid_blocks: 'Slack refused the blocks; this is a Periscope bug, please report it',
  msg_blocks_too_long: 'the message was too large for Slack; lower resourcesPerRule',
  no_text: 'the message had no text; this is a Periscope bug',
  user_not_found: 'the webhook points to a user that no longer exists; create a new incoming webhook',
  channel_not_found: 'the channel no longer exists or the app cannot see it; create a new webhook or fix the channel id',
  channel_is_archived: 'the channel is archived; unarchive it or point the webhook at another channel',
  is_archived: 'the channel is archived; unarchive it or choose another channel',
  action_prohibited: 'a workspace admin restricted posting to this channel',
  not_in_channel: 'invite the Periscope app to the channel (/invite @app) or use chat:write.public',
  invalid_auth: 'the bot token is invalid or revoked; store a new one in the secret',
  not_authed: 'no bot token was sent; check the secret',
  token_revoked: 'the bot token was revoked; store a new one in the secret',
  missing_scope: 'the bot token lacks chat:write',
  no_service: 'the incoming webhook was disabled or removed; create a new one and update the secret',
  no_team: 'the workspace of the webhook no longer exists; create a new webhook',
  team_disabled: 'the workspace was disabled',
  invalid_token: 'the webhook URL is invalid or was revoked; create a new incoming webhook and update the secret',
  delivery_unknown:
    'Slack gave no answer, so the message may have been posted; a webhook cannot be asked, so it is not sent again (check the channel; a bot token lets Periscope check before it posts)',
};

const retryableCodes = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'rollup_error']);

function failure(target: SlackTarget, status: number | undefined, code: string, retryAfter?: number, cause?: unknown): SlackDeliveryError {
  const via = target.kind === 'webhook' ? 'the incoming webhook' : `chat.postMessage to channel ${target.channel}`;
  // No status: the request never got an answer (network), worth another try.
  const retryable = code !== 'delivery_unknown' && (status === undefined || retryableCodes.has(code) || isRetryableStatus(status));
  const hint = hints[code] ?? (retryable ? 'Slack is unavailable or rate limiting; the delivery is retried' : 'check the Slack app and the secret');
  const details: { status?: number; code: string; retryable: boolean; retryAfterMs?: number; cause?: unknown } = { code, retryable };
  if (status !== undefined) details.status = status;
  if (retryAfter !== undefined) details.retryAfterMs = retryAfter;
  if (cause !== undefined) details.cause = cause;
  const what = status === undefined ? `Slack could not be reached through ${via} (${code})` : `Slack refused the message sent through ${via} (HTTP ${status} ${code})`;
  return new SlackDeliveryError('slack', `${what}: ${hint}.`, details);
}

/** The metadata event type that marks Periscope's digests (chat.postMessage `metadata`). */
const digestEventType = 'periscope_digest';

/** Network failures before the request could reach Slack: nothing was posted. */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT']);

/** An answer that does not say whether Slack posted: none after the request left (a timeout, a reset), or a
 * proxy's 502/504. */
function isAmbiguous(error: SlackDeliveryError): boolean {
  if (error.status === undefined) return !notSentCodes.has(error.code);
  return error.status === 502 || error.status === 504;
}

export interface SlackSenderOptions {
  target: SlackTarget;
  fetch?: FetchLike;
  logger?: Logger;
  retry?: RetryOptions;
  /** Slack's Web API base (a receiver in tests); default https://slack.com/api. */
  apiUrl?: string;
  /** Per-request timeout, default 10 s. */
  timeoutMs?: number;
  clock?: Clock;
}

export interface SlackDelivery {
  /** chat.postMessage's message timestamp (threading); absent for webhooks. */
  ts?: string;
  attempts: number;
}

export class SlackSender {
  readonly #target: SlackTarget;
  readonly #fetch: FetchLike;
  readonly #logger: Logger;
  readonly #retry: RetryOptions;
  readonly #apiUrl: string;
  readonly #timeoutMs: number;
  readonly #clock: Clock;

  constructor(options: SlackSenderOptions) {
    this.#target = options.target;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#logger = options.logger ?? silentLogger;
    this.#retry = options.retry ?? {};
    this.#apiUrl = (options.apiUrl ?? 'https://slack.com/api').replace(/\/$/, '');
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#clock = options.clock ?? systemClock;
    assertSafeEndpoint(new URL(this.#target.kind === 'webhook' ? this.#target.url : this.#apiUrl), 'The Slack endpoint');
  }

  /**
   * Posts the message at most once per `digestId`. With a bot token the message carries the id as metadata and the
   * channel's recent history is checked for it before each attempt, so neither a retry after a lost answer nor a
   * second delivery of the same digest posts it twice. A webhook cannot be asked what it posted: an attempt whose
   * answer was lost (no answer, 502, 504) is not repeated, and fails with `delivery_unknown` (not retryable).
   */
  async send(message: SlackMessage, options: { digestId?: string } = {}): Promise<SlackDelivery> {
    const { digestId } = options;
    const target = this.#target;
    let attempts = 0;
    const ts = await withRetries('Slack delivery', this.#retry, this.#logger, async () => {
      if (target.kind === 'webhook') {
        attempts += 1;
        return this.#webhook(target, message).catch((error: unknown) => {
          if (!(error instanceof SlackDeliveryError) || !isAmbiguous(error)) throw error;
          throw failure(target, error.status, 'delivery_unknown', undefined, error);
        });
      }
      if (digestId) {
        const posted = await this.#posted(target, digestId);
        if (posted) {
          this.#logger.info('Slack message already posted; not posted again', { via: target.kind, ts: posted });
          return posted;
        }
      }
      attempts += 1;
      return this.#postMessage(target, message, digestId);
    });
    this.#logger.info('Slack message delivered', { via: target.kind, blocks: message.blocks.length, attempts });
    return ts === undefined ? { attempts } : { ts, attempts };
  }

  /** The ts of a message of the last day in the channel that carries the digest id, from conversations.history. */
  async #posted(target: Extract<SlackTarget, { kind: 'bot' }>, digestId: string): Promise<string | undefined> {
    const oldest = String(Math.floor(this.#clock.now().getTime() / 1000) - 86_400);
    const query = new URLSearchParams({ channel: target.channel, oldest, limit: '200', include_all_metadata: 'true' });
    const response = await this.#call(target, `${this.#apiUrl}/conversations.history?${query.toString()}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${target.token}` },
    });
    const retryAfter = retryAfterMs(response.headers.get('retry-after'), this.#clock.now());
    if (!response.ok) throw failure(target, response.status, response.status === 429 ? 'ratelimited' : `http_${response.status}`, retryAfter);
    const body = (await response.json().catch(() => undefined)) as
      | { ok?: boolean; error?: string; messages?: { ts?: string; metadata?: { event_type?: string; event_payload?: { digest_id?: unknown } } }[] }
      | undefined;
    if (body?.ok !== true) throw failure(target, response.status, typeof body?.error === 'string' ? body.error : 'unreadable_response', retryAfter);
    return body.messages?.find((m) => m.metadata?.event_type === digestEventType && m.metadata.event_payload?.digest_id === digestId)?.ts;
  }

  async #call(target: SlackTarget, url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.#fetch(url, { ...init, signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (error) {
      // The cause may carry the URL: keep only its code.
      throw failure(target, undefined, networkFailureCode(error), undefined);
    }
  }

  async #webhook(target: Extract<SlackTarget, { kind: 'webhook' }>, message: SlackMessage): Promise<undefined> {
    const response = await this.#call(target, target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
    });
    const body = (await response.text().catch(() => '')).trim();
    if (response.ok) return undefined;
    const code = /^[a-z_]{2,64}$/.test(body) ? body : `http_${response.status}`;
    throw failure(target, response.status, code, retryAfterMs(response.headers.get('retry-after'), this.#clock.now()));
  }

  async #postMessage(target: Extract<SlackTarget, { kind: 'bot' }>, message: SlackMessage, digestId?: string): Promise<string | undefined> {
    const metadata = digestId ? { metadata: { event_type: digestEventType, event_payload: { digest_id: digestId } } } : {};
    const response = await this.#call(target, `${this.#apiUrl}/chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${target.token}` },
      body: JSON.stringify({ channel: target.channel, ...message, ...metadata }),
    });
    const retryAfter = retryAfterMs(response.headers.get('retry-after'), this.#clock.now());
    if (!response.ok) throw failure(target, response.status, response.status === 429 ? 'ratelimited' : `http_${response.status}`, retryAfter);
    const body = (await response.json().catch(() => undefined)) as { ok?: boolean; error?: string; ts?: string } | undefined;
    if (body?.ok === true) return body.ts;
    throw failure(target, response.status, typeof body?.error === 'string' ? body.error : 'unreadable_response', retryAfter);
  }
}

const expectedSlackSecret = '{"webhookUrl": "https://hooks.slack.com/services/..."} or {"botToken": "xoxb-...", "channel": "C0123456789"}';

/** The Slack secret: a webhook URL (plain or `{"webhookUrl"}`), or `{"botToken", "channel"}`. */
export function slackTargetOf(secretValue: string, secretId: string): SlackTarget {
  const object = secretJson(secretValue, secretId, expectedSlackSecret);
  if (!object) {
    const url = secretValue.trim();
    if (/^https?:\/\//.test(url)) return { kind: 'webhook', url };
    throw new Error(`Secret ${secretId} is neither a webhook URL nor JSON; expected ${expectedSlackSecret}.`);
  }
  const url = stringField(object, 'webhookUrl') ?? stringField(object, 'url');
  if (url) return { kind: 'webhook', url };
  const token = stringField(object, 'botToken') ?? stringField(object, 'token');
  const channel = stringField(object, 'channel');
  if (token && channel) return { kind: 'bot', token, channel };
  throw new Error(`Secret ${secretId} has fields ${Object.keys(object).join(', ') || '(none)'}; expected ${expectedSlackSecret}.`);
}

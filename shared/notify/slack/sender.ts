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
};

const retryableCodes = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'rollup_error']);

function failure(target: SlackTarget, status: number | undefined, code: string, retryAfter?: number, cause?: unknown): SlackDeliveryError {
  const via = target.kind === 'webhook' ? 'the incoming webhook' : `chat.postMessage to channel ${target.channel}`;
  // No status: the request never got an answer (network), worth another try.
  const retryable = status === undefined || retryableCodes.has(code) || isRetryableStatus(status);
  const hint = hints[code] ?? (retryable ? 'Slack is unavailable or rate limiting; the delivery is retried' : 'check the Slack app and the secret');
  const details: { status?: number; code: string; retryable: boolean; retryAfterMs?: number; cause?: unknown } = { code, retryable };
  if (status !== undefined) details.status = status;
  if (retryAfter !== undefined) details.retryAfterMs = retryAfter;
  if (cause !== undefined) details.cause = cause;
  const what = status === undefined ? `Slack could not be reached through ${via} (${code})` : `Slack refused the message sent through ${via} (HTTP ${status} ${code})`;
  return new SlackDeliveryError('slack', `${what}: ${hint}.`, details);
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

  async send(message: SlackMessage): Promise<SlackDelivery> {
    let attempts = 0;
    const ts = await withRetries('Slack delivery', this.#retry, this.#logger, async () => {
      attempts += 1;
      return this.#target.kind === 'webhook' ? this.#webhook(this.#target, message) : this.#postMessage(this.#target, message);
    });
    this.#logger.info('Slack message delivered', { via: this.#target.kind, blocks: message.blocks.length, attempts });
    return ts === undefined ? { attempts } : { ts, attempts };
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

  async #postMessage(target: Extract<SlackTarget, { kind: 'bot' }>, message: SlackMessage): Promise<string | undefined> {
    const response = await this.#call(target, `${this.#apiUrl}/chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${target.token}` },
      body: JSON.stringify({ channel: target.channel, ...message }),
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

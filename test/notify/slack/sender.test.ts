// The Slack sender against the local Slack receiver: delivery, Retry-After, typed non-retryable errors, secrecy.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/model/cross-cutting.ts';
import { DeliveryError } from '../../../shared/notify/http.ts';
import { SlackDeliveryError, SlackSender, slackTargetOf, type SlackTarget } from '../../../shared/notify/slack/sender.ts';
import type { SlackMessage } from '../../../shared/notify/slack/message.ts';
import { SlackReceiver } from '../../../shared/sandbox/slack-receiver.ts';

const message: SlackMessage = {
  text: 'Periscope: 1 new critical finding on prod',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }],
  unfurl_links: false,
  unfurl_media: false,
};

const receiver = new SlackReceiver({ channels: ['C0SECURITY'] });
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());
beforeEach(() => {
  receiver.clearFaults();
  receiver.requests.length = 0;
  receiver.messages.length = 0;
});

function sender(target: SlackTarget, sleeps: number[] = [], logs: string[] = []): SlackSender {
  return new SlackSender({
    target,
    apiUrl: receiver.apiUrl,
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, maxAttempts: 4 },
    logger: { ...silentLogger, info: (m, a) => void logs.push(`${m} ${JSON.stringify(a)}`), warn: (m, a) => void logs.push(`${m} ${JSON.stringify(a)}`) },
  });
}

async function failure(promise: Promise<unknown>): Promise<SlackDeliveryError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SlackDeliveryError);
  return error as SlackDeliveryError;
}

describe('SlackSender through an incoming webhook', () => {
  it('delivers the message as posted', async () => {
    const result = await sender({ kind: 'webhook', url: receiver.webhookUrl }).send(message);
    expect(result.attempts).toBe(1);
    expect(receiver.messages).toHaveLength(1);
    expect(receiver.messages[0]?.body).toEqual(message);
  });

  it('waits as long as a 429 Retry-After says, then delivers', async () => {
    receiver.failNext(2, { status: 429, retryAfterSeconds: 3 });
    const sleeps: number[] = [];
    const result = await sender({ kind: 'webhook', url: receiver.webhookUrl }, sleeps).send(message);
    expect(sleeps).toEqual([3000, 3000]);
    expect(result.attempts).toBe(3);
    expect(receiver.messages).toHaveLength(1);
  });

  it('gives up at once, retryable, when Retry-After is longer than allowed', async () => {
    receiver.failNext(1, { status: 429, retryAfterSeconds: 600 });
    const sleeps: number[] = [];
    const error = await failure(sender({ kind: 'webhook', url: receiver.webhookUrl }, sleeps).send(message));
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(600_000);
    expect(sleeps).toEqual([]);
  });

  it('backs off on 5xx and succeeds when Slack recovers', async () => {
    receiver.failNext(2, { status: 500 });
    const sleeps: number[] = [];
    await sender({ kind: 'webhook', url: receiver.webhookUrl }, sleeps).send(message);
    expect(sleeps).toEqual([250, 500]);
    expect(receiver.requests.map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('stops after the last attempt when Slack stays down, with a retryable error', async () => {
    receiver.failNext(10, { status: 503 });
    const error = await failure(sender({ kind: 'webhook', url: receiver.webhookUrl }).send(message));
    expect(error.retryable).toBe(true);
    expect(receiver.requests).toHaveLength(4);
  });

  it('turns an invalid webhook into one clear, non-retryable error that never shows the URL', async () => {
    for (const [status, code] of [[404, 'channel_not_found'], [410, 'channel_is_archived'], [403, 'invalid_token']] as const) {
      receiver.requests.length = 0;
      receiver.failNext(1, { status, body: code });
      const logs: string[] = [];
      const error = await failure(sender({ kind: 'webhook', url: receiver.webhookUrl }, [], logs).send(message));
      expect(error.retryable).toBe(false);
      expect(error.status).toBe(status);
      expect(error.code).toBe(code);
      expect(receiver.requests).toHaveLength(1);
      expect(error.message).toContain(code);
      for (const text of [error.message, String(error.stack), ...logs]) expect(text).not.toContain('periscopetestwebhook');
    }
  });

  it('reports a message Slack refuses as a Periscope bug, not a retry', async () => {
    const tooBig: SlackMessage = { ...message, blocks: Array.from({ length: 51 }, () => ({ type: 'divider' as const })) };
    const error = await failure(sender({ kind: 'webhook', url: receiver.webhookUrl }).send(tooBig));
    expect(error).toMatchObject({ retryable: false, code: 'invalid_blocks', status: 400 });
    expect(receiver.rejected.at(-1)?.problems).toContain('51 blocks (max 50)');
  });

  it('names an unreachable endpoint by its error code only', async () => {
    const gone = new SlackReceiver();
    await gone.start();
    const url = gone.webhookUrl;
    await gone.stop();
    const error = await failure(sender({ kind: 'webhook', url }).send(message));
    expect(error.retryable).toBe(true);
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.message).not.toContain('periscopetestwebhook');
  });

  it('does not post again when the answer was lost after Slack posted (504): delivery_unknown, not retryable', async () => {
    receiver.failNext(1, { status: 504, afterHandling: true });
    const error = await failure(sender({ kind: 'webhook', url: receiver.webhookUrl }).send(message, { digestId: 'prod/scan-1' }));
    expect(error).toMatchObject({ code: 'delivery_unknown', retryable: false, status: 504 });
    expect(error.message).toMatch(/may have been posted/);
    expect(receiver.messages).toHaveLength(1);
    expect(receiver.requests).toHaveLength(1);
  });

  it('refuses plain http anywhere but loopback', () => {
    expect(() => new SlackSender({ target: { kind: 'webhook', url: 'http://hooks.slack.com/services/x' } })).toThrow(/https/);
  });
});

describe('SlackSender through chat.postMessage', () => {
  it('posts to the channel with the bot token and returns the message ts', async () => {
    const result = await sender({ kind: 'bot', token: receiver.botToken, channel: 'C0SECURITY' }).send(message);
    expect(result.ts).toMatch(/^1700000000\.\d{6}$/);
    expect(receiver.messages[0]).toMatchObject({ via: 'chat.postMessage', channel: 'C0SECURITY', text: message.text });
    expect(JSON.stringify(receiver.requests)).not.toContain(receiver.botToken);
  });

  it('makes channel_not_found and invalid_auth final errors without the token', async () => {
    const missing = await failure(sender({ kind: 'bot', token: receiver.botToken, channel: 'C0NOPE' }).send(message));
    expect(missing).toMatchObject({ retryable: false, code: 'channel_not_found' });
    expect(missing.message).toContain('C0NOPE');
    const denied = await failure(sender({ kind: 'bot', token: 'xoxb-wrong-secret', channel: 'C0SECURITY' }).send(message));
    expect(denied).toMatchObject({ retryable: false, code: 'invalid_auth' });
    expect(denied.message).not.toContain('xoxb-wrong-secret');
  });

  it('honours Retry-After on a rate-limited call', async () => {
    receiver.failNext(1, { status: 429, retryAfterSeconds: 1 });
    const sleeps: number[] = [];
    await sender({ kind: 'bot', token: receiver.botToken, channel: 'C0SECURITY' }, sleeps).send(message);
    expect(sleeps).toEqual([1000]);
  });
});

describe('slackTargetOf', () => {
  it('reads a plain URL, a webhook JSON and a bot token JSON', () => {
    expect(slackTargetOf('https://hooks.slack.com/services/T/B/X\n', 's')).toEqual({ kind: 'webhook', url: 'https://hooks.slack.com/services/T/B/X' });
    expect(slackTargetOf('{"webhookUrl":"https://hooks.slack.com/services/T/B/X"}', 's')).toEqual({ kind: 'webhook', url: 'https://hooks.slack.com/services/T/B/X' });
    expect(slackTargetOf('{"botToken":"xoxb-1","channel":"C1"}', 's')).toEqual({ kind: 'bot', token: 'xoxb-1', channel: 'C1' });
  });

  it('explains a wrong secret without quoting it', () => {
    expect(() => slackTargetOf('{"botToken":"xoxb-very-secret"}', 'periscope/slack')).toThrow(/periscope\/slack has fields botToken; expected/);
    expect(() => slackTargetOf('{"botToken":"xoxb-very-secret"', 'periscope/slack')).toThrow(/not valid JSON/);
    for (const bad of ['{"botToken":"xoxb-very-secret"}', '{"botToken":"xoxb-very-secret"', 'xoxb-very-secret']) {
      try {
        slackTargetOf(bad, 'periscope/slack');
      } catch (error) {
        expect(String(error)).not.toContain('very-secret');
      }
    }
  });

  it('marks every failure as a DeliveryError subtype', () => {
    expect(new SlackDeliveryError('slack', 'x', { code: 'c', retryable: false })).toBeInstanceOf(DeliveryError);
  });
});

describe('SlackSender posts a digest at most once (chat.postMessage metadata, conversations.history)', () => {
  const bot: SlackTarget = { kind: 'bot', token: receiver.botToken, channel: 'C0SECURITY' };

  it('a retry after a lost answer (the post went through, the connection dropped) finds the message instead of posting again', async () => {
    let lost = 0;
    // Slack posts the message, then the answer never arrives (a timeout or reset on the way back).
    const dropping = async (url: string, init: RequestInit): Promise<Response> => {
      const response = await fetch(url, init);
      if (url.endsWith('/chat.postMessage') && lost++ === 0) throw new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
      return response;
    };
    const slack = new SlackSender({ target: bot, apiUrl: receiver.apiUrl, fetch: dropping, retry: { sleep: async () => undefined, random: () => 0.5 } });
    const delivery = await slack.send(message, { digestId: 'prod/scan-7' });
    expect(receiver.messages).toHaveLength(1);
    expect(receiver.messages[0]?.body.metadata).toEqual({ event_type: 'periscope_digest', event_payload: { digest_id: 'prod/scan-7' } });
    expect(delivery.ts).toBe(receiver.messages[0]?.ts);
    expect(receiver.requests.map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`)).toEqual([
      'GET /api/conversations.history 200',
      'POST /api/chat.postMessage 200',
      'GET /api/conversations.history 200',
    ]);
  });

  it('a second delivery of the same digest posts nothing; another digest is posted', async () => {
    await sender(bot).send(message, { digestId: 'prod/scan-8' });
    const again = await sender(bot).send(message, { digestId: 'prod/scan-8' });
    expect(receiver.messages).toHaveLength(1);
    expect(again).toEqual({ ts: receiver.messages[0]?.ts, attempts: 0 });
    await sender(bot).send(message, { digestId: 'prod/scan-9' });
    expect(receiver.messages).toHaveLength(2);
  });
});

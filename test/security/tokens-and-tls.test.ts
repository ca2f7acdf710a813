// Invariants: TLS is never disabled anywhere, and tokens and secrets never appear in logs or error messages.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeConfigForEndpoint } from '../../shared/kube/kubeconfig.ts';
import { silentLogger } from '../../shared/model/cross-cutting.ts';
import { JiraClient } from '../../shared/notify/jira/client.ts';
import { SlackSender } from '../../shared/notify/slack/sender.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.') || entry === 'cdk.out') continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (/\.(ts|js|mjs|json|ya?ml)$/.test(entry)) out.push(full);
  }
  return out;
}

describe('TLS is never disabled', () => {
  it('no source file turns certificate verification off', () => {
    const forbidden = [
      /rejectUnauthorized\s*:\s*false/,
      /NODE_TLS_REJECT_UNAUTHORIZED/,
      /skipTLSVerify\s*:\s*true/,
      /insecure-skip-tls-verify['"]?\s*:\s*true/,
      /checkServerIdentity\s*:/,
    ];
    const offenders: string[] = [];
    for (const top of ['shared', 'functions', 'cdk', 'scripts', 'bench', 'events', 'package.json']) {
      const root = path.join(repoRoot, top);
      let files: string[];
      try {
        files = statSync(root).isDirectory() ? sources(root) : [root];
      } catch {
        continue;
      }
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        for (const pattern of forbidden) if (pattern.test(text)) offenders.push(`${path.relative(repoRoot, file)}: ${pattern}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('an EKS endpoint without https or without a CA is refused, naming the cluster', () => {
    const tokens = { token: async () => 'k8s-aws-v1.x', invalidate() {} };
    expect(() => kubeConfigForEndpoint({ name: 'prod', server: 'http://api.example', caData: 'Q0E=' }, tokens)).toThrow(/Cluster "prod".*not https/);
    expect(() => kubeConfigForEndpoint({ name: 'prod', server: 'https://api.example', caData: '' }, tokens)).toThrow(/Cluster "prod": no certificate authority/);
    const cluster = kubeConfigForEndpoint({ name: 'prod', server: 'https://api.example', caData: 'Q0E=' }, tokens).getCurrentCluster();
    expect(cluster?.skipTLSVerify).toBe(false);
  });

  it('notifiers refuse plain http to anything but loopback', () => {
    expect(() => new SlackSender({ target: { kind: 'webhook', url: 'http://hooks.slack.com/services/T/B/secret' } })).toThrow(/must be an https:\/\/ URL/);
    expect(() => new JiraClient({ baseUrl: 'http://jira.example', flavour: 'cloud', auth: { kind: 'bearer', token: 't' } })).toThrow(/must be an https:\/\/ URL/);
  });
});

describe('tokens never reach logs or errors', () => {
  const webhookSecret = 'XyZwebhookSECRET0123456789';
  const webhook = `https://hooks.slack.com/services/T000/B000/${webhookSecret}`;
  const botToken = 'xoxb-1234567890-bottokenSECRET';
  const jiraToken = 'ATATTjiraSECRETtoken0123456789';

  /** Everything a failure exposes: message, cause chain and enumerable fields, plus every log line. */
  function exposure(error: unknown, logs: unknown[]): string {
    const parts: string[] = [];
    let e: unknown = error;
    while (e instanceof Error) {
      parts.push(e.message, JSON.stringify({ ...e }));
      e = e.cause;
    }
    return parts.join('\n') + JSON.stringify(logs);
  }

  const logs: unknown[] = [];
  const logger = { ...silentLogger, info: (m: string, a?: unknown) => void logs.push([m, a]), warn: (m: string, a?: unknown) => void logs.push([m, a]) };
  const retry = { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 };
  /** A network failure whose cause names the URL and headers, as undici's can. */
  const failingFetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    throw new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ECONNREFUSED ${String(url)} ${JSON.stringify(init?.headers)}`), { code: 'ECONNREFUSED' }) });
  };

  it('Slack webhook URL and bot token stay out of delivery errors and logs', async () => {
    for (const target of [{ kind: 'webhook' as const, url: webhook }, { kind: 'bot' as const, token: botToken, channel: 'C1' }]) {
      for (const fetch of [failingFetch, async () => new Response('invalid_token', { status: 403 })]) {
        logs.length = 0;
        const sender = new SlackSender({ target, fetch, logger, retry });
        const error = await sender.send({ text: 'x', blocks: [], unfurl_links: false, unfurl_media: false }).then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
        const seen = exposure(error, logs);
        expect(seen).not.toContain(webhookSecret);
        expect(seen).not.toContain(botToken);
      }
    }
  });

  it('Jira API tokens stay out of request errors and logs', async () => {
    for (const auth of [{ kind: 'basic' as const, email: 'a@example.com', apiToken: jiraToken }, { kind: 'bearer' as const, token: jiraToken }]) {
      for (const fetch of [failingFetch, async () => new Response(JSON.stringify({ errorMessages: ['Unauthorized'] }), { status: 401 })]) {
        logs.length = 0;
        const client = new JiraClient({ baseUrl: 'https://jira.example', flavour: 'cloud', auth, fetch, logger, retry });
        const error = await client.issueState('SEC-1').then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
        const seen = exposure(error, logs);
        expect(seen).not.toContain(jiraToken);
        expect(seen).not.toContain(Buffer.from(`a@example.com:${jiraToken}`).toString('base64'));
      }
    }
  });
});

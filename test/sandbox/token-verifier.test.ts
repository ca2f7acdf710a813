import { describe, expect, it } from 'vitest';
import { createEksToken, TOKEN_PREFIX, type AwsCredentials } from '../../shared/eks/index.ts';
import { verifyEksToken } from '../../shared/sandbox/kube-api/index.ts';

const credentials: AwsCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-key' };
const signedAt = new Date('2026-03-01T10:00:00Z');
const options = { clusterName: 'prod', region: 'eu-west-1', credentials: [credentials], clock: () => signedAt };

const tokenFor = (clusterName = 'prod', region = 'eu-west-1', keys = credentials) =>
  createEksToken({ clusterName, region, credentials: keys, clock: { now: () => signedAt } });

function rewrite(token: string, change: (url: URL) => void): string {
  const url = new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString());
  change(url);
  return TOKEN_PREFIX + Buffer.from(url.toString()).toString('base64url');
}

describe('verifyEksToken', () => {
  it('accepts a token signed for this cluster with a known key', async () => {
    expect(await verifyEksToken(await tokenFor(), options)).toEqual({ ok: true, accessKeyId: 'AKIDEXAMPLE' });
  });

  it('accepts a token up to 15 minutes after it was signed, and refuses it after', async () => {
    const token = await tokenFor();
    const at = (minutes: number) => ({ ...options, clock: () => new Date(signedAt.getTime() + minutes * 60_000) });
    expect((await verifyEksToken(token, at(14.9))).ok).toBe(true);
    expect(await verifyEksToken(token, at(15.1))).toEqual({ ok: false, reason: 'token expired' });
  });

  it('refuses a token signed for another cluster', async () => {
    const verdict = await verifyEksToken(await tokenFor('staging'), options);
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringMatching(/signature does not match/) });
  });

  it('refuses a token signed with the wrong secret or an unknown key', async () => {
    const wrongSecret = await tokenFor('prod', 'eu-west-1', { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'guess' });
    expect((await verifyEksToken(wrongSecret, options)).ok).toBe(false);
    const unknown = await tokenFor('prod', 'eu-west-1', { accessKeyId: 'AKIDOTHER', secretAccessKey: 'secret-key' });
    expect(await verifyEksToken(unknown, options)).toEqual({ ok: false, reason: 'unknown access key' });
  });

  it('refuses tampered tokens', async () => {
    const token = await tokenFor();
    const tampered = [
      rewrite(token, (url) => url.searchParams.set('X-Amz-Expires', '900')),
      rewrite(token, (url) => url.searchParams.set('X-Amz-Date', '20260301T100500Z')),
      rewrite(token, (url) => url.searchParams.set('Action', 'AssumeRole')),
      rewrite(token, (url) => url.searchParams.set('X-Amz-SignedHeaders', 'host')),
      rewrite(token, (url) => url.searchParams.set('Extra', '1')),
      rewrite(token, (url) => (url.hostname = 'sts.evil.example')),
      token.slice(0, -4) + 'AAAA',
      'k8s-aws-v1.not-a-url',
      'plain-token',
    ];
    for (const candidate of tampered) expect((await verifyEksToken(candidate, options)).ok, candidate).toBe(false);
  });

  it('refuses a token whose region differs from the cluster', async () => {
    expect((await verifyEksToken(await tokenFor('prod', 'us-east-1'), options)).ok).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { createEksToken, eksTokenProvider, TOKEN_PREFIX, type AwsCredentials } from '../../shared/eks/index.ts';
import { verifyEksToken } from '../../shared/sandbox/kube-api/index.ts';

const credentials: AwsCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const start = new Date('2026-03-01T10:00:00Z');

function decode(token: string): URL {
  return new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
}

function fakeClock(at: Date) {
  let now = at.getTime();
  return { clock: { now: () => new Date(now) }, advance: (ms: number) => (now += ms) };
}

describe('createEksToken', () => {
  it('presigns GetCallerIdentity on the regional STS endpoint with the cluster header signed', async () => {
    const token = await createEksToken({ clusterName: 'prod', region: 'eu-west-1', credentials, clock: { now: () => start } });
    expect(token.startsWith('k8s-aws-v1.')).toBe(true);
    expect(token.slice(TOKEN_PREFIX.length)).toMatch(/^[A-Za-z0-9_-]+$/);
    const url = decode(token);
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('Version')).toBe('2011-06-15');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20260301T100000Z');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20260301/eu-west-1/sts/aws4_request');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('carries the session token of temporary credentials, as a signed query parameter', async () => {
    const token = await createEksToken({
      clusterName: 'prod',
      region: 'us-east-2',
      credentials: async () => ({ ...credentials, sessionToken: 'FwoG/session+token==' }),
      clock: { now: () => start },
    });
    expect(decode(token).searchParams.get('X-Amz-Security-Token')).toBe('FwoG/session+token==');
    const verdict = await verifyEksToken(token, {
      clusterName: 'prod',
      region: 'us-east-2',
      credentials: [{ ...credentials, sessionToken: 'FwoG/session+token==' }],
      clock: () => start,
    });
    expect(verdict).toEqual({ ok: true, accessKeyId: 'AKIDEXAMPLE' });
  });

  it('signs differently for another cluster, so a token works for one cluster only', async () => {
    const a = await createEksToken({ clusterName: 'a', region: 'eu-west-1', credentials, clock: { now: () => start } });
    const b = await createEksToken({ clusterName: 'b', region: 'eu-west-1', credentials, clock: { now: () => start } });
    expect(decode(a).searchParams.get('X-Amz-Signature')).not.toBe(decode(b).searchParams.get('X-Amz-Signature'));
  });
});

describe('eksTokenProvider', () => {
  it('reuses the token until it is 12 minutes old, then signs a new one', async () => {
    const time = fakeClock(start);
    let resolved = 0;
    const provider = eksTokenProvider({
      clusterName: 'prod',
      region: 'eu-west-1',
      credentials: async () => (resolved++, credentials),
      clock: time.clock,
    });
    const first = await provider.token();
    time.advance(11 * 60_000);
    expect(await provider.token()).toBe(first);
    expect(provider.renewsAt).toEqual(new Date(start.getTime() + 12 * 60_000));
    time.advance(60_000);
    const second = await provider.token();
    expect(second).not.toBe(first);
    expect(decode(second).searchParams.get('X-Amz-Date')).toBe('20260301T101200Z');
    expect(resolved).toBe(2);
  });

  it('signs once for concurrent callers', async () => {
    let resolved = 0;
    const provider = eksTokenProvider({
      clusterName: 'prod',
      region: 'eu-west-1',
      credentials: async () => (resolved++, credentials),
      clock: { now: () => start },
    });
    const tokens = await Promise.all([provider.token(), provider.token(), provider.token()]);
    expect(new Set(tokens).size).toBe(1);
    expect(resolved).toBe(1);
  });

  it('signs a new token after invalidate (what a 401 triggers)', async () => {
    const time = fakeClock(start);
    const provider = eksTokenProvider({ clusterName: 'prod', region: 'eu-west-1', credentials, clock: time.clock });
    const first = await provider.token();
    time.advance(1000);
    provider.invalidate();
    expect(provider.renewsAt).toBeUndefined();
    expect(await provider.token()).not.toBe(first);
  });

  it('renews a minute before temporary credentials expire when that comes first', async () => {
    const time = fakeClock(start);
    const provider = eksTokenProvider({
      clusterName: 'prod',
      region: 'eu-west-1',
      credentials: async () => ({ ...credentials, expiration: new Date(start.getTime() + 5 * 60_000) }),
      clock: time.clock,
    });
    await provider.token();
    expect(provider.renewsAt).toEqual(new Date(start.getTime() + 4 * 60_000));
  });

  it('refuses a renewal period a token would not survive', () => {
    expect(() =>
      eksTokenProvider({ clusterName: 'prod', region: 'eu-west-1', credentials, renewAfterMs: 15 * 60_000 }),
    ).toThrow(/between 0 and 14 minutes/);
  });
});

// Invariant: the EKS bearer token, its presigned STS URL and signing parameters, AWS credentials and kubeconfig
// tokens never appear in an error message, a snapshot's coverage or a Lambda log line, whatever the failure.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { EKSClient } from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loggerPort, logger } from '../../functions/runtime.ts';
import { describeEksCluster } from '../../shared/eks/cluster-info.ts';
import { redactSecrets } from '../../shared/model/redact.ts';
import { eksTokenProvider, type AwsCredentials } from '../../shared/eks/token.ts';
import { createKubeClient } from '../../shared/kube/client.ts';
import { collectSnapshot } from '../../shared/kube/collector.ts';
import { kubeConfigForEndpoint } from '../../shared/kube/kubeconfig.ts';
import { startKubeApi, type KubeApi } from '../../shared/sandbox/kube-api/index.ts';
import { generateTls, type TlsMaterial } from '../../shared/sandbox/tls.ts';

const credentials: AwsCredentials = {
  accessKeyId: 'ASIAPERISCOPETEST0001',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETkey1',
  sessionToken: 'IQoJb3JpZ2luX2VjEPERISCOPEsessionTOKEN0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+AbCd==',
};
const clusterName = 'prod';
const region = 'us-east-1';
const retry = { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 };
const cluster = { id: clusterName, name: clusterName, source: 'eks' as const };

/** Every token the provider signed, and the parts of their presigned URLs that must stay secret. */
function secretsOf(tokens: readonly string[]): string[] {
  const out = [credentials.secretAccessKey, credentials.sessionToken!];
  for (const token of tokens) {
    out.push(token, token.slice('k8s-aws-v1.'.length, 'k8s-aws-v1.'.length + 60));
    const url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
    out.push(url.toString(), url.searchParams.get('X-Amz-Signature')!, url.searchParams.get('X-Amz-Credential')!, url.search);
  }
  return out;
}

/** Everything a failure exposes: message, cause chain and enumerable fields, plus whatever else is passed. */
function exposure(error: unknown, ...more: unknown[]): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth += 1) parts.push(e.message, String(e.stack), JSON.stringify({ ...e }));
  if (error !== undefined && !(error instanceof Error)) parts.push(String(error));
  return parts.join('\n') + JSON.stringify(more);
}

function expectNone(seen: string, secrets: readonly string[]): void {
  for (const secret of secrets) expect(seen, `leaks ${secret.slice(0, 24)}…`).not.toContain(secret);
}

/** A provider that records every token handed out. */
function recordingTokens(source: () => Promise<AwsCredentials>) {
  const provider = eksTokenProvider({ clusterName, region, credentials: source });
  const issued: string[] = [];
  return {
    issued,
    invalidate: () => provider.invalidate(),
    token: async () => {
      const token = await provider.token();
      issued.push(token);
      return token;
    },
  };
}

describe('EKS tokens and credentials stay out of errors and coverage', () => {
  let api: KubeApi;
  let other: TlsMaterial;
  beforeAll(async () => {
    other = generateTls();
    api = await startKubeApi({ clusterName, region, credentials: [credentials] });
  });
  afterAll(async () => api.stop());

  it('a 401 that persists after the token is renewed', async () => {
    api.setFaults([{ kind: 'Pod', effect: { type: 'status', status: 401 } }]);
    const tokens = recordingTokens(async () => credentials);
    const retries: unknown[] = [];
    const client = createKubeClient({ kubeConfig: kubeConfigForEndpoint({ name: clusterName, server: api.url, caData: api.caData }, tokens), renewCredentials: tokens.invalidate, retry, onRetry: (e) => retries.push(e) });
    const error = await client.listPage('/api/v1/pods', { limit: 10 }).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ name: 'KubeApiError', status: 401 });
    expect(client.stats.renewals).toBe(1);
    expect(tokens.issued.length).toBeGreaterThanOrEqual(2);
    expectNone(exposure(error, retries), secretsOf(tokens.issued));

    const snapshot = await collectSnapshot({ kubeConfig: kubeConfigForEndpoint({ name: clusterName, server: api.url, caData: api.caData }, tokens), clientOptions: { renewCredentials: tokens.invalidate, retry }, cluster });
    expect(snapshot.coverage.Pod?.error).toMatch(/unauthorized \(401\)/);
    expectNone(JSON.stringify(snapshot.coverage), secretsOf(tokens.issued));
    api.setFaults([]);
  });

  it('a server (or proxy) that echoes the Authorization header in its Status message', async () => {
    // A misbehaving proxy: answers 403 quoting the request's headers.
    const server = https.createServer({ key: other.keyPem, cert: other.certPem }, (request, response) => {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ kind: 'Status', message: `denied request with headers ${JSON.stringify(request.headers)}`, reason: 'Forbidden', code: 403 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const tokens = recordingTokens(async () => credentials);
      const server_ = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const client = createKubeClient({ kubeConfig: kubeConfigForEndpoint({ name: clusterName, server: server_, caData: Buffer.from(other.caPem).toString('base64') }, tokens), retry });
      const error = await client.listPage('/api/v1/pods', {}).then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ name: 'KubeApiError', status: 403 });
      expect(tokens.issued.length).toBeGreaterThan(0);
      expect((error as Error).message).toMatch(/denied request with headers .*authorization/);
      expectNone(exposure(error), secretsOf(tokens.issued));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a TLS failure (the endpoint presents a certificate from another CA)', async () => {
    const tokens = recordingTokens(async () => credentials);
    const caData = Buffer.from(other.caPem).toString('base64');
    const client = createKubeClient({ kubeConfig: kubeConfigForEndpoint({ name: clusterName, server: api.url, caData }, tokens), retry });
    const error = await client.listPage('/api/v1/pods', {}).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ name: 'KubeConnectionError', untrusted: true });
    expectNone(exposure(error), secretsOf(tokens.issued));
  });

  it('a credential provider (assume-role, say) that fails quoting the session token and secret key', async () => {
    const failing = async (): Promise<AwsCredentials> => {
      throw Object.assign(new Error(`AssumeRole failed for session token ${credentials.sessionToken} with secretAccessKey=${credentials.secretAccessKey}`), { name: 'CredentialsProviderError' });
    };
    const tokens = recordingTokens(failing);
    const direct = await tokens.token().then(() => undefined, (e: unknown) => e);
    expect((direct as Error).message).toMatch(/Could not get AWS credentials to sign the EKS token for cluster prod \(us-east-1\): CredentialsProviderError: AssumeRole failed/);
    expectNone(exposure(direct), secretsOf([]));

    const retries: unknown[] = [];
    const client = createKubeClient({ kubeConfig: kubeConfigForEndpoint({ name: clusterName, server: api.url, caData: api.caData }, tokens), retry, onRetry: (e) => retries.push(e) });
    const error = await client.listPage('/api/v1/pods', {}).then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).toMatch(/could not authenticate: Could not get AWS credentials/);
    expectNone(exposure(error, retries), secretsOf([]));

    const snapshot = await collectSnapshot({ kubeConfig: kubeConfigForEndpoint({ name: clusterName, server: api.url, caData: api.caData }, tokens), clientOptions: { retry }, cluster });
    expect(JSON.stringify(snapshot.coverage)).toMatch(/could not authenticate/);
    expectNone(JSON.stringify(snapshot.coverage), secretsOf([]));
  });

  it('EKS API calls whose credentials fail record a redacted coverage error', async () => {
    const eks = new EKSClient({
      region,
      maxAttempts: 1,
      credentials: async () => {
        throw new Error(`could not assume role: token ${credentials.sessionToken}, key ${credentials.secretAccessKey}`);
      },
    });
    const description = await describeEksCluster({ eks, clusterName });
    const error = description.coverage['eks:DescribeCluster']?.error;
    expect(error).toMatch(/eks:DescribeCluster on cluster prod: .*could not assume role/);
    expectNone(JSON.stringify(description.coverage), secretsOf([]));
  });
});

describe('Lambda logs (Powertools) are redacted whatever is logged', () => {
  it('secrets in messages and attributes, nested or in errors, never reach stdout', () => {
    const token = 'k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtZWFzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eQ';
    const url = `https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&X-Amz-Credential=${credentials.accessKeyId}%2F20260101%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Security-Token=${encodeURIComponent(credentials.sessionToken!)}&X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`;
    const secrets = [token.slice(11), credentials.secretAccessKey, credentials.sessionToken!, encodeURIComponent(credentials.sessionToken!), `${credentials.accessKeyId}%2F20260101`, '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'kubeconfigUSERtoken'];
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      }),
    );
    // Powertools writes through its own Console bound to process.stdout/stderr.
    const writeErr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      loggerPort.error('scan failed', { error: `connection: presigned ${url} rejected for Authorization: Bearer ${token}` });
      loggerPort.warn('retry', { nested: { header: 'Bearer kubeconfigUSERtoken', credentials: { ...credentials } } });
      logger.error(`direct ${token}`, new Error(`assume role failed: ${credentials.sessionToken}`));
    } finally {
      write.mockRestore();
      writeErr.mockRestore();
      for (const spy of spies) spy.mockRestore();
    }
    const seen = lines.join('\n');
    expect(seen).toContain('scan failed');
    expect(seen).toContain('assume role failed');
    expect(seen).toContain('<redacted>');
    expectNone(seen, secrets);
  });
});

describe('redactSecrets keeps what a user needs', () => {
  it('leaves ARNs, paths, cluster names and fingerprints alone', () => {
    const text =
      'eks:DescribeCluster on cluster prod-eu: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/PeriscopeScanner/periscope-scanner ' +
      'is not authorized; listing /apis/rbac.authorization.k8s.io/v1/clusterrolebindings failed; fingerprint 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    expect(redactSecrets(text)).toBe(text);
  });
});

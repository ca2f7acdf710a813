// The EKS bearer token: a presigned STS GetCallerIdentity URL bound to one cluster, cached and renewed before it dies.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { systemClock, type Clock } from '../model/cross-cutting.ts';
import { redactedMessage } from '../model/redact.ts';

export const TOKEN_PREFIX = 'k8s-aws-v1.';
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** What `aws eks get-token` and aws-iam-authenticator sign; the cluster honours the URL 15 minutes regardless. */
export const PRESIGN_EXPIRES_SECONDS = 60;
/** STS accepts a presigned GetCallerIdentity for 15 minutes after X-Amz-Date. */
export const TOKEN_VALIDITY_MS = 15 * 60_000;
/** Renew well before the 14 minutes `aws eks get-token` reports, leaving room for a request in flight and skew. */
export const DEFAULT_RENEW_AFTER_MS = 12 * 60_000;

/** AWS credentials, structurally compatible with the AWS SDK's AwsCredentialIdentity. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Any AWS SDK credential provider (fromNodeProviderChain, fromTemporaryCredentials, fromIni, ...) or fixed keys. */
export type CredentialSource = AwsCredentials | (() => Promise<AwsCredentials>);

export interface EksTokenOptions {
  /** The cluster name (for EKS on Outposts local clusters: the cluster id). */
  clusterName: string;
  /** The region of the STS endpoint to sign for; the cluster's region. */
  region: string;
  credentials: CredentialSource;
  clock?: Clock;
}

export interface EksTokenProviderOptions extends EksTokenOptions {
  /** Age after which the cached token is replaced (default 12 minutes; must stay under 14). */
  renewAfterMs?: number;
}

export interface EksTokenProvider {
  /** A valid token: the cached one while it is young enough, else a new one. Never log the result. */
  token(): Promise<string>;
  /** Forget the cached token (after a 401), so the next `token()` signs a new one. */
  invalidate(): void;
  /** When the cached token will be renewed, or undefined when none is cached. */
  readonly renewsAt: Date | undefined;
}

export function stsHostname(region: string): string {
  return region.startsWith('cn-') ? `sts.${region}.amazonaws.com.cn` : `sts.${region}.amazonaws.com`;
}

function signerFor(region: string, credentials: CredentialSource): SignatureV4 {
  return new SignatureV4({ service: 'sts', region, sha256: Sha256, credentials, applyChecksum: false });
}

/** The GetCallerIdentity request a token presigns; the verifier in the sandbox rebuilds the same one. */
export function getCallerIdentityRequest(region: string, clusterName: string) {
  const hostname = stsHostname(region);
  return {
    method: 'GET',
    protocol: 'https:',
    hostname,
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } as Record<string, string>,
    headers: { host: hostname, [CLUSTER_ID_HEADER]: clusterName } as Record<string, string>,
  };
}

/** Presigns GetCallerIdentity with SigV4; exported so the sandbox can recompute a token's signature. */
export async function presignGetCallerIdentity(options: {
  region: string;
  clusterName: string;
  credentials: CredentialSource;
  signingDate: Date;
  expiresIn?: number;
}): Promise<URL> {
  const signer = signerFor(options.region, options.credentials);
  const signed = await signer.presign(getCallerIdentityRequest(options.region, options.clusterName), {
    expiresIn: options.expiresIn ?? PRESIGN_EXPIRES_SECONDS,
    signingDate: options.signingDate,
  });
  const url = new URL(`https://${signed.hostname}${signed.path}`);
  for (const [key, value] of Object.entries(signed.query ?? {})) {
    if (typeof value === 'string') url.searchParams.set(key, value);
  }
  return url;
}

/** One fresh token, `k8s-aws-v1.` + the presigned URL in unpadded base64url. */
export async function createEksToken(options: EksTokenOptions): Promise<string> {
  const url = await presignGetCallerIdentity({ ...options, signingDate: (options.clock ?? systemClock).now() });
  return TOKEN_PREFIX + Buffer.from(url.toString(), 'utf8').toString('base64url');
}

/** A token provider that signs at most one token per renewal period, however many requests ask at once. */
export function eksTokenProvider(options: EksTokenProviderOptions): EksTokenProvider {
  const clock = options.clock ?? systemClock;
  const renewAfterMs = options.renewAfterMs ?? DEFAULT_RENEW_AFTER_MS;
  if (renewAfterMs <= 0 || renewAfterMs >= 14 * 60_000) {
    throw new Error(`renewAfterMs must be between 0 and 14 minutes (got ${renewAfterMs} ms)`);
  }
  let cached: { token: string; renewsAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const resolveCredentials = async (): Promise<AwsCredentials> => {
    if (typeof options.credentials !== 'function') return options.credentials;
    try {
      return await options.credentials();
    } catch (error) {
      // Providers (assume-role, SSO, process) may print what they were given: no cause kept, message redacted.
      const name = error instanceof Error ? error.name : 'Error';
      // eslint-disable-next-line preserve-caught-error -- the cause may quote the credentials
      throw new Error(
        `Could not get AWS credentials to sign the EKS token for cluster ${options.clusterName} (${options.region}): ${name}: ${redactedMessage(error)}. ` +
          'Check the scanner role and, for another account, that its role trusts the scanner.',
      );
    }
  };

  const sign = async (): Promise<string> => {
    const credentials = await resolveCredentials();
    const issuedAt = clock.now();
    const token = await createEksToken({ ...options, credentials, clock: { now: () => issuedAt } });
    let renewsAt = issuedAt.getTime() + renewAfterMs;
    // A token signed with temporary credentials dies with them: renew a minute before they expire.
    if (credentials.expiration) renewsAt = Math.min(renewsAt, credentials.expiration.getTime() - 60_000);
    cached = { token, renewsAt };
    return token;
  };

  return {
    async token() {
      if (cached && clock.now().getTime() < cached.renewsAt) return cached.token;
      pending ??= sign().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
    get renewsAt() {
      return cached ? new Date(cached.renewsAt) : undefined;
    },
  };
}

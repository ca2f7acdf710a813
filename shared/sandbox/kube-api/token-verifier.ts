// Checks an EKS bearer token the way aws-iam-authenticator does, but offline: instead of calling STS with the
// presigned URL, it recomputes the SigV4 signature with the test credentials and this cluster's name.
import { timingSafeEqual } from 'node:crypto';
import {
  CLUSTER_ID_HEADER,
  TOKEN_PREFIX,
  TOKEN_VALIDITY_MS,
  presignGetCallerIdentity,
  stsHostname,
  type AwsCredentials,
} from '../../eks/token.ts';

const allowedParameters = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);
const MAX_TOKEN_BYTES = 4096;

export type TokenVerdict = { ok: true; accessKeyId: string } | { ok: false; reason: string };

export interface TokenVerifierOptions {
  clusterName: string;
  region: string;
  /** The principals the emulated cluster trusts, by access key id. */
  credentials: AwsCredentials[];
  clock: () => Date;
}

export async function verifyEksToken(token: string, options: TokenVerifierOptions): Promise<TokenVerdict> {
  if (!token.startsWith(TOKEN_PREFIX)) return { ok: false, reason: 'not an EKS token (missing k8s-aws-v1. prefix)' };
  if (token.length > MAX_TOKEN_BYTES) return { ok: false, reason: 'token longer than 4 KiB' };
  let url: URL;
  try {
    url = new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'token does not decode to a URL' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'presigned URL is not https' };
  if (url.hostname !== stsHostname(options.region)) return { ok: false, reason: `unexpected STS host ${url.hostname}` };
  if (url.pathname !== '/') return { ok: false, reason: 'presigned URL path is not /' };
  const params = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    if (!allowedParameters.has(key.toLowerCase())) return { ok: false, reason: `parameter ${key} not allowed` };
    params.set(key.toLowerCase(), value);
  }
  if (params.get('action') !== 'GetCallerIdentity') return { ok: false, reason: 'action is not GetCallerIdentity' };
  const signedHeaders = (params.get('x-amz-signedheaders') ?? '').split(';');
  if (!signedHeaders.includes(CLUSTER_ID_HEADER)) return { ok: false, reason: `${CLUSTER_ID_HEADER} is not signed` };
  const expires = Number(params.get('x-amz-expires'));
  if (!Number.isInteger(expires) || expires < 0 || expires > 900) return { ok: false, reason: 'bad X-Amz-Expires' };
  const signingDate = parseAmzDate(params.get('x-amz-date') ?? '');
  if (!signingDate) return { ok: false, reason: 'bad X-Amz-Date' };
  const now = options.clock().getTime();
  if (now > signingDate.getTime() + TOKEN_VALIDITY_MS) return { ok: false, reason: 'token expired' };
  if (signingDate.getTime() > now + 5 * 60_000) return { ok: false, reason: 'token signed in the future' };
  const [accessKeyId, , region] = (params.get('x-amz-credential') ?? '').split('/');
  if (region !== options.region) return { ok: false, reason: `credential scope region ${region} is not ${options.region}` };
  const known = options.credentials.find((credentials) => credentials.accessKeyId === accessKeyId);
  if (!known || !accessKeyId) return { ok: false, reason: 'unknown access key' };
  const sessionToken = params.get('x-amz-security-token');
  const expected = await presignGetCallerIdentity({
    region: options.region,
    clusterName: options.clusterName,
    credentials: { ...known, ...(sessionToken === undefined ? {} : { sessionToken }) },
    signingDate,
    expiresIn: expires,
  });
  if (expected.searchParams.get('X-Amz-SignedHeaders') !== params.get('x-amz-signedheaders')) {
    return { ok: false, reason: 'signed headers differ' };
  }
  if (known.sessionToken !== undefined && known.sessionToken !== sessionToken) {
    return { ok: false, reason: 'session token does not match' };
  }
  const got = Buffer.from(params.get('x-amz-signature') ?? '');
  const want = Buffer.from(expected.searchParams.get('X-Amz-Signature') ?? '');
  if (got.length !== want.length || !timingSafeEqual(got, want)) {
    return { ok: false, reason: 'signature does not match (wrong cluster, wrong key or tampered token)' };
  }
  return { ok: true, accessKeyId };
}

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = match.slice(1).map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

// A small Kubernetes list client on node:https: each page parsed as it arrives, item by item (a 300 MB page is
// never one buffer or one parsed tree), TLS always verified against the cluster CA, bounded retries with backoff
// honouring Retry-After (and a budget of retries for the whole client), one token renewal on 401, a timeout per
// request, the caller's deadline honoured mid-request and mid-backoff, no redirects followed. It connects from an endpoint and a token source (the scan Lambda: no @kubernetes/client-node in its
// bundle) or from a client-node KubeConfig, read through its public methods only (the CLI: kubeconfig contexts,
// client certificates, exec plugins), so this module never loads client-node itself.
import type { KubeConfig } from '@kubernetes/client-node';
import { Agent, request, type RequestOptions } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { LookupFunction } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as delay } from 'node:timers/promises';
import { redactSecrets } from '../model/redact.ts';
import { isRecord } from '../model/kube.ts';
import { ExecPluginError } from './exec-credential.ts';
import { JsonStream, JsonStreamError } from './json-stream.ts';
import { METADATA_ONLY_ACCEPT } from './kinds.ts';
import { verifiedEndpoint, type BearerTokenSource, type ClusterEndpoint } from './endpoint.ts';

export interface RetryPolicy {
  /** Attempts per request, the first included (default 5). */
  maxAttempts: number;
  /** First backoff delay; doubles each attempt (default 250 ms). */
  baseDelayMs: number;
  /** Cap on one backoff delay, and on a Retry-After the server asks for (default 30 s). */
  maxDelayMs: number;
  /** Retries for the whole client, all requests together (default 100): a server, a network or a credential source
   * that keeps failing costs this many retries at most, not `maxAttempts` for every page of every kind. */
  budget: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 30_000, budget: 100 };

export interface RetryEvent {
  path: string;
  attempt: number;
  delayMs: number;
  /** `HTTP 429`, `HTTP 503`, `connection: ...`, `unauthorized: renewing token`. */
  reason: string;
}

/** Where the API server is and how to authenticate: a KubeConfig's current context, or an endpoint and a token
 * source (whose `invalidate` renews the token on a 401 unless `renewCredentials` is given). */
export type KubeConnection = { kubeConfig: KubeConfig } | { endpoint: ClusterEndpoint; tokens: BearerTokenSource };

export type KubeClientOptions = KubeConnection & KubeClientTuning;

export interface KubeClientTuning {
  /** Forgets the cached credentials, so the next request carries a fresh token (called once, on a 401). */
  renewCredentials?: () => void;
  retry?: Partial<RetryPolicy>;
  /** For tests: how to wait between attempts (the default also stops waiting when the request's signal aborts). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Per request (default 60 s). */
  requestTimeoutMs?: number;
  onRetry?: (event: RetryEvent) => void;
  /** For tests and the demo: how the server's host name resolves (default: the system resolver), e.g. an EKS
   * endpoint name mapped to a local emulator. TLS still verifies the certificate against the host name. */
  lookup?: LookupFunction;
}

export interface ListQuery {
  limit?: number;
  continue?: string;
}

export interface ListPage<T = unknown> {
  items: T[];
  continueToken?: string;
}

export interface ListOptions<T> {
  /** Ask for a PartialObjectMetadataList. */
  metadataOnly?: boolean;
  /** Each item as it comes off the wire; what it returns is kept in the page (undefined drops the item). An attempt
   * that fails halfway is thrown away whole, so a retried page never keeps an item twice. Default: the item. */
  take?: (item: unknown) => T | undefined;
  /** Stops the request and its retries when aborted (the scan's deadline); its reason says why. */
  signal?: AbortSignal;
}

export interface KubeClientStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Pages received (successful list responses). */
  pages: number;
  /** Requests repeated after a 429, a 5xx or a connection failure. */
  retries: number;
  /** Tokens renewed after a 401. */
  renewals: number;
}

/** The API server answered with an error status. `message` is the server's Status message. */
export class KubeApiError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly path: string;
  readonly attempts: number;
  constructor(options: { status: number; reason: string; message: string; path: string; attempts: number }) {
    super(options.message);
    this.name = 'KubeApiError';
    this.status = options.status;
    this.reason = options.reason;
    this.path = options.path;
    this.attempts = options.attempts;
  }
}

/** The request never got a complete answer: refused or reset connection, timeout, truncated or invalid body. */
export class KubeConnectionError extends Error {
  readonly path: string;
  readonly attempts: number;
  /** The server's certificate did not verify against the cluster CA: retrying cannot help. */
  readonly untrusted: boolean;
  /** The caller's signal stopped it (the scan's deadline): nothing later can be listed either. */
  readonly aborted: boolean;
  /** The credentials could not be had (the token source or exec plugin failed): no other request can do better. */
  readonly unauthenticated: boolean;
  constructor(
    message: string,
    options: { path: string; attempts: number; cause?: unknown; untrusted?: boolean; aborted?: boolean; unauthenticated?: boolean },
  ) {
    super(message, { cause: options.cause });
    this.name = 'KubeConnectionError';
    this.path = options.path;
    this.attempts = options.attempts;
    this.untrusted = options.untrusted ?? false;
    this.aborted = options.aborted ?? false;
    this.unauthenticated = options.unauthenticated ?? false;
  }
}

/** What the token source threw, kept apart from network failures: it is not the server's fault. An exec plugin
 * that failed or hung is not run again for the same request: it would fail or hang the same way. */
class CredentialsUnavailable extends Error {
  readonly retriable: boolean;
  constructor(message: string, retriable: boolean) {
    super(message);
    this.retriable = retriable;
  }
}

export interface KubeClient {
  /** The API server URL. */
  readonly server: string;
  readonly stats: KubeClientStats;
  /** One page of a list, its items parsed (and `take`n) as they arrive. */
  listPage<T = unknown>(path: string, query: ListQuery, options?: ListOptions<T>): Promise<ListPage<T>>;
}

export function createKubeClient(options: KubeClientOptions): KubeClient {
  const transport = 'kubeConfig' in options ? kubeConfigTransport(options.kubeConfig, options.lookup) : endpointTransport(options.endpoint, options.tokens, options.lookup);
  const renewCredentials = options.renewCredentials ?? ('tokens' in options ? () => options.tokens.invalidate() : undefined);
  const server = transport.server;
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, signal ? { signal } : {}));
  const timeoutMs = options.requestTimeoutMs ?? 60_000;
  const stats: KubeClientStats = { requests: 0, pages: 0, retries: 0, renewals: 0 };

  const send = async <T>(url: URL, accept: string, take: (item: unknown) => T | undefined, signal: AbortSignal | undefined) => {
    let prepared: Prepared;
    try {
      prepared = await transport.prepare();
    } catch (error) {
      // The token source failed (its credentials, say): its error may quote them, so only a redacted message goes on
      // (and no cause).
      throw new CredentialsUnavailable(`could not authenticate: ${redactSecrets(describeNetworkError(error))}`, !(error instanceof ExecPluginError));
    }
    stats.requests += 1;
    const timeout = AbortSignal.timeout(timeoutMs);
    return get(url, { agent: prepared.agent, headers: { ...prepared.headers, accept }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout }, take);
  };

  /** Spends one retry of the client's budget; false once it is spent. */
  let retriesLeft = policy.budget;
  const spendRetry = () => {
    if (retriesLeft <= 0) return false;
    retriesLeft -= 1;
    return true;
  };

  const backoff = (attempt: number) => {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  };

  return {
    server,
    stats,
    async listPage<T = unknown>(path: string, query: ListQuery, listOptions: ListOptions<T> = {}): Promise<ListPage<T>> {
      const url = listUrl(server, path, query);
      const accept = listOptions.metadataOnly ? METADATA_ONLY_ACCEPT : 'application/json';
      const take = listOptions.take ?? ((item: unknown) => item as T);
      const { signal } = listOptions;
      let renewed = false;
      for (let attempt = 1; ; attempt += 1) {
        stopIfAborted(signal, path, attempt - 1);
        let result: Response<T>;
        let retryReason: string;
        let delayMs = backoff(attempt);
        try {
          result = await send(url, accept, take, signal);
        } catch (error) {
          stopIfAborted(signal, path, attempt, error);
          const reason = retriableConnectionFailure(error, path, attempt, policy, spendRetry);
          stats.retries += 1;
          options.onRetry?.({ path, attempt, delayMs, reason });
          await pause(sleep, delayMs, signal, path, attempt);
          continue;
        }
        if (result.status >= 200 && result.status < 300) {
          if (result.page) {
            stats.pages += 1;
            return result.page;
          }
          retryReason = `connection: incomplete or invalid JSON body${result.invalid ? ` (${result.invalid})` : ''}`;
          if (attempt >= policy.maxAttempts || !spendRetry()) {
            throw new KubeConnectionError(`${retryReason} (after ${attempt} attempts)`, { path, attempts: attempt });
          }
        } else {
          // A redirect is answered as the error it is here: following it would send the token to another place.
          const status = parseStatus(result.body, result.status);
          if (result.status === 401 && !renewed && renewCredentials) {
            renewed = true;
            stats.renewals += 1;
            renewCredentials();
            options.onRetry?.({ path, attempt, delayMs: 0, reason: 'unauthorized: renewing token' });
            continue;
          }
          const retriable = result.status === 429 || result.status >= 500;
          if (!retriable || attempt >= policy.maxAttempts || !spendRetry()) {
            throw new KubeApiError({ ...status, status: result.status, path, attempts: attempt });
          }
          retryReason = `HTTP ${result.status} ${status.reason}`;
          const retryAfter = retryAfterMs(headerValue(result.headers['retry-after']));
          if (retryAfter !== undefined) delayMs = Math.min(retryAfter, policy.maxDelayMs);
        }
        stats.retries += 1;
        options.onRetry?.({ path, attempt, delayMs, reason: retryReason });
        await pause(sleep, delayMs, signal, path, attempt);
      }
    },
  };
}

/** Throws once the caller's signal has aborted: its reason (the scan's deadline, say) says why. */
function stopIfAborted(signal: AbortSignal | undefined, path: string, attempts: number, cause?: unknown): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  const why = reason instanceof Error ? reason.message : 'the request was cancelled';
  throw new KubeConnectionError(`stopped: ${why}`, { path, attempts, aborted: true, ...(cause === undefined ? {} : { cause }) });
}

async function pause(
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  ms: number,
  signal: AbortSignal | undefined,
  path: string,
  attempts: number,
): Promise<void> {
  try {
    await sleep(ms, signal);
  } catch (error) {
    stopIfAborted(signal, path, attempts, error);
    throw error;
  }
  stopIfAborted(signal, path, attempts);
}

function listUrl(server: string, path: string, query: ListQuery): URL {
  const url = new URL(server + path);
  if (query.limit !== undefined) url.searchParams.set('limit', String(query.limit));
  if (query.continue !== undefined) url.searchParams.set('continue', query.continue);
  return url;
}

/** Why a request that never got an answer may be retried; throws when it may not (an untrusted certificate, or the
 * last attempt). */
function retriableConnectionFailure(error: unknown, path: string, attempt: number, policy: RetryPolicy, spendRetry: () => boolean): string {
  if (error instanceof CredentialsUnavailable) {
    // Already redacted. Retried like a network failure (STS has hiccups), within the same bounds.
    if (!error.retriable) throw new KubeConnectionError(error.message, { path, attempts: attempt, unauthenticated: true });
    if (attempt >= policy.maxAttempts || !spendRetry()) {
      throw new KubeConnectionError(`${error.message} (after ${attempt} attempts)`, { path, attempts: attempt, unauthenticated: true });
    }
    return error.message;
  }
  const reason = `connection: ${redactSecrets(describeNetworkError(error))}`;
  if (isCertificateError(error)) {
    throw new KubeConnectionError(
      `${reason}; the server's certificate does not verify against the cluster CA (TLS is never skipped)`,
      { path, attempts: attempt, cause: error, untrusted: true },
    );
  }
  if (attempt >= policy.maxAttempts) {
    throw new KubeConnectionError(`${reason} (after ${attempt} attempts)`, { path, attempts: attempt, cause: error });
  }
  if (!spendRetry()) {
    throw new KubeConnectionError(`${reason} (after ${attempt} attempts; the client's budget of ${policy.budget} retries is spent)`, {
      path,
      attempts: attempt,
      cause: error,
    });
  }
  return reason;
}

/** What one request needs besides its URL: a verifying TLS agent (built once) and the credential headers. */
interface Prepared {
  agent: Agent;
  headers: Record<string, string>;
}

interface Transport {
  server: string;
  prepare(): Promise<Prepared>;
}

/** A 2xx answer as its parsed page (or why it is not one), any other as its body. */
interface Response<T> {
  status: number;
  headers: IncomingHttpHeaders;
  page?: ListPage<T>;
  invalid?: string;
  body: Buffer;
}

/** The most of an error body kept: a Status is a few hundred bytes; a proxy's page need not be read whole. */
const MAX_ERROR_BODY = 64 * 1024;

function endpointTransport(endpoint: ClusterEndpoint, tokens: BearerTokenSource, lookup: LookupFunction | undefined): Transport {
  const verified = verifiedEndpoint(endpoint);
  const agent = tlsAgent({ ca: Buffer.from(verified.caData, 'base64') }, lookup);
  return {
    server: verified.server.replace(/\/+$/, ''),
    prepare: async () => ({ agent, headers: { authorization: `Bearer ${await tokens.token()}` } }),
  };
}

/** The KubeConfig's current context through `applyToHTTPSOptions`, its public way of handing out TLS material
 * and credentials (a token, client certificates, an exec plugin's or an auth provider's token, basic auth,
 * impersonation); asked again for every request, so renewed credentials are picked up. */
function kubeConfigTransport(kubeConfig: KubeConfig, lookup: LookupFunction | undefined): Transport {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('The kubeconfig has no current cluster: pass a context that names a cluster.');
  if (cluster.skipTLSVerify) {
    throw new Error(
      `Cluster "${cluster.name}" in the kubeconfig sets insecure-skip-tls-verify; Periscope always verifies TLS. ` +
        'Give the cluster its certificate-authority(-data) instead.',
    );
  }
  if (cluster.proxyUrl && !/^https?:\/\//.test(cluster.proxyUrl)) {
    throw new Error(`Cluster "${cluster.name}" in the kubeconfig sets proxy-url ${cluster.proxyUrl}; Periscope connects through http(s) proxies only.`);
  }
  let agent: Agent | undefined;
  return {
    server: cluster.server.replace(/\/+$/, ''),
    async prepare() {
      const options: RequestOptions = {};
      await kubeConfig.applyToHTTPSOptions(options);
      agent ??= tlsAgent(
        {
          ...(options.ca ? { ca: options.ca } : {}),
          ...(options.cert ? { cert: options.cert } : {}),
          ...(options.key ? { key: options.key } : {}),
          ...(options.pfx ? { pfx: options.pfx } : {}),
          ...(options.passphrase ? { passphrase: options.passphrase } : {}),
          ...(options.servername ? { servername: options.servername } : {}),
        },
        lookup,
        cluster.proxyUrl,
      );
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(options.headers ?? {})) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
      }
      if (options.auth && !headers.authorization) headers.authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
      return { agent, headers };
    },
  };
}

type TlsMaterial = Pick<RequestOptions, 'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'servername'>;

function tlsAgent(tls: TlsMaterial, lookup: LookupFunction | undefined, proxyUrl?: string): Agent {
  return new Agent({
    ...tls,
    // Never taken from the kubeconfig or the environment: a certificate that does not verify is refused.
    rejectUnauthorized: true,
    keepAlive: true,
    ...(lookup ? { lookup } : {}),
    // Node's own CONNECT tunnelling; only the kubeconfig's proxy-url, never the environment's.
    ...(proxyUrl ? { proxyEnv: { HTTPS_PROXY: proxyUrl } } : {}),
  });
}

function get<T>(
  url: URL,
  options: { agent: Agent; headers: Record<string, string>; signal: AbortSignal },
  take: (item: unknown) => T | undefined,
): Promise<Response<T>> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { ...options, method: 'GET' }, (response) => {
      const status = response.statusCode ?? 0;
      const base = { status, headers: response.headers };
      if (status >= 200 && status < 300) {
        const reader = pageReader(take);
        response.on('data', (chunk: Buffer) => {
          if (reader.write(chunk)) return;
          // Not a list, or `take` failed: the rest of the body changes nothing.
          const outcome = reader.end();
          if (outcome.thrown !== undefined) reject(asError(outcome.thrown));
          else resolve({ ...base, body: Buffer.alloc(0), ...outcome });
          response.destroy();
        });
        response.on('end', () => {
          const outcome = reader.end();
          if (outcome.thrown !== undefined) reject(asError(outcome.thrown));
          else resolve({ ...base, body: Buffer.alloc(0), ...outcome });
        });
      } else {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_ERROR_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => resolve({ ...base, body: Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY) }));
      }
      response.on('error', reject);
      // Closed before the end (a reset mid-body): nothing after this resolves the promise.
      response.on('close', () => {
        if (!response.complete) reject(new Error('the connection closed before the response was complete'));
      });
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** A list body read as it arrives: items handed to `take` one by one, `metadata.continue` noted, nothing else kept. */
function pageReader<T>(take: (item: unknown) => T | undefined) {
  const items: T[] = [];
  const decoder = new StringDecoder('utf8');
  let continueToken: string | undefined;
  let sawItems = false;
  let invalid: string | undefined;
  let thrown: unknown;
  const stream = new JsonStream((event) => {
    if (event.type === 'items-start') sawItems = true;
    else if (event.type === 'item') {
      const kept = take(event.value);
      if (kept !== undefined) items.push(kept);
    } else if (event.type === 'field' && event.key === 'metadata' && isRecord(event.value)) {
      const token = event.value.continue;
      if (typeof token === 'string' && token !== '') continueToken = token;
    } else if (event.type === 'value') invalid = 'the body is not a JSON object';
  });
  const guard = (feed: () => void): boolean => {
    if (invalid !== undefined || thrown !== undefined) return false;
    try {
      feed();
    } catch (error) {
      if (error instanceof JsonStreamError) invalid = `${error.message} at line ${error.line}, column ${error.column}`;
      else thrown = error;
    }
    return invalid === undefined && thrown === undefined;
  };
  return {
    /** False once the body is known not to be a list: the rest need not be read. */
    write: (chunk: Buffer) => guard(() => stream.write(decoder.write(chunk))),
    end(): { page?: ListPage<T>; invalid?: string; thrown?: unknown } {
      guard(() => {
        stream.write(decoder.end());
        stream.end();
      });
      if (thrown !== undefined) return { thrown };
      if (invalid === undefined && !sawItems) invalid = 'no items array';
      if (invalid !== undefined) return { invalid };
      return { page: continueToken === undefined ? { items } : { items, continueToken } };
    },
  };
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseStatus(bytes: Buffer, code: number): { reason: string; message: string } {
  try {
    const body: unknown = JSON.parse(bytes.toString('utf8'));
    if (isRecord(body)) {
      return {
        reason: typeof body.reason === 'string' && body.reason ? body.reason : `HTTP ${code}`,
        // Redacted: a proxy in front of the API server may echo the request, Authorization header included.
        message: typeof body.message === 'string' && body.message ? redactSecrets(body.message) : `HTTP ${code}`,
      };
    }
  } catch {
    // Not a Status object (a proxy's HTML page, say): fall through to the bare code.
  }
  return { reason: `HTTP ${code}`, message: `HTTP ${code}` };
}

/** Retry-After in seconds or as an HTTP date, in milliseconds. */
function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function isCertificateError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) return true;
    current = current.cause;
  }
  return false;
}

function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 4; depth += 1) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${current.message} (${code})` : current.message);
    current = current.cause;
  }
  return parts.join(': ') || String(error);
}

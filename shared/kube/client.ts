// A small Kubernetes list client on top of @kubernetes/client-node: the KubeConfig supplies TLS (always verified)
// and authentication per request; this adds raw-JSON pages, bounded retries with backoff honouring Retry-After,
// and one token renewal on 401.
import type { KubeConfig } from '@kubernetes/client-node';
import type { LookupFunction } from 'node:net';
// The HTTP layer by its own modules (the classes the package root exports): the root also loads client-node's
// watch, exec, attach, cp... and their dependencies (ws, tar-fs), ~130 KiB of the scan Lambda's bundle.
import { HttpMethod, RequestContext } from '@kubernetes/client-node/dist/gen/http/http.js';
import { IsomorphicFetchHttpLibrary } from '@kubernetes/client-node/dist/gen/http/isomorphic-fetch.js';
import { redactSecrets } from '../model/redact.ts';
import { isRecord } from '../model/kube.ts';
import { METADATA_ONLY_ACCEPT } from './kinds.ts';

export interface RetryPolicy {
  /** Attempts per request, the first included (default 5). */
  maxAttempts: number;
  /** First backoff delay; doubles each attempt (default 250 ms). */
  baseDelayMs: number;
  /** Cap on one backoff delay, and on a Retry-After the server asks for (default 30 s). */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 30_000 };

export interface RetryEvent {
  path: string;
  attempt: number;
  delayMs: number;
  /** `HTTP 429`, `HTTP 503`, `connection: ...`, `unauthorized: renewing token`. */
  reason: string;
}

export interface KubeClientOptions {
  kubeConfig: KubeConfig;
  /** Forgets the cached credentials, so the next request carries a fresh token (called once, on a 401). */
  renewCredentials?: () => void;
  retry?: Partial<RetryPolicy>;
  /** For tests: how to wait between attempts. */
  sleep?: (ms: number) => Promise<void>;
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

export interface ListPage {
  items: unknown[];
  continueToken?: string;
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
  constructor(message: string, options: { path: string; attempts: number; cause?: unknown; untrusted?: boolean }) {
    super(message, { cause: options.cause });
    this.name = 'KubeConnectionError';
    this.path = options.path;
    this.attempts = options.attempts;
    this.untrusted = options.untrusted ?? false;
  }
}

export interface KubeClient {
  /** The API server URL. */
  readonly server: string;
  readonly stats: KubeClientStats;
  /** One page of a list. `metadataOnly` asks for a PartialObjectMetadataList. */
  listPage(path: string, query: ListQuery, options?: { metadataOnly?: boolean }): Promise<ListPage>;
}

export function createKubeClient(options: KubeClientOptions): KubeClient {
  const kubeConfig = options.kubeConfig;
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('The kubeconfig has no current cluster: pass a context that names a cluster.');
  if (cluster.skipTLSVerify) {
    throw new Error(
      `Cluster "${cluster.name}" in the kubeconfig sets insecure-skip-tls-verify; Periscope always verifies TLS. ` +
        'Give the cluster its certificate-authority(-data) instead.',
    );
  }
  const server = cluster.server.replace(/\/+$/, '');
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const timeoutMs = options.requestTimeoutMs ?? 60_000;
  const http = new IsomorphicFetchHttpLibrary();
  const stats: KubeClientStats = { requests: 0, pages: 0, retries: 0, renewals: 0 };
  // client-node builds a new TLS dispatcher for every request; keeping the first one reuses its connections.
  let dispatcher: ReturnType<RequestContext['getDispatcher']>;

  const connecting = options.lookup ? withLookup(kubeConfig, options.lookup) : kubeConfig;

  const send = async (url: string, accept: string) => {
    const context = new RequestContext(url, HttpMethod.GET);
    try {
      await connecting.applySecurityAuthentication(context);
    } catch (error) {
      // The token source failed (its credentials, say): its error may quote them, so only a redacted message goes on.
      // eslint-disable-next-line preserve-caught-error -- the cause may quote the credentials
      throw new Error(`could not authenticate: ${redactSecrets(describeNetworkError(error))}`);
    }
    if (dispatcher) context.setDispatcher(dispatcher);
    else dispatcher = context.getDispatcher();
    context.setHeaderParam('Accept', accept);
    context.setSignal(AbortSignal.timeout(timeoutMs));
    stats.requests += 1;
    const response = await http.send(context).toPromise();
    const text = await response.body.text();
    return { status: response.httpStatusCode, headers: response.headers, text };
  };

  const backoff = (attempt: number) => {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  };

  return {
    server,
    stats,
    async listPage(path, query, listOptions = {}) {
      const url = new URL(server + path);
      if (query.limit !== undefined) url.searchParams.set('limit', String(query.limit));
      if (query.continue !== undefined) url.searchParams.set('continue', query.continue);
      const accept = listOptions.metadataOnly ? METADATA_ONLY_ACCEPT : 'application/json';
      let renewed = false;
      for (let attempt = 1; ; attempt += 1) {
        let result: Awaited<ReturnType<typeof send>>;
        let retryReason: string;
        let delayMs = backoff(attempt);
        try {
          result = await send(url.toString(), accept);
        } catch (error) {
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
          stats.retries += 1;
          options.onRetry?.({ path, attempt, delayMs, reason });
          await sleep(delayMs);
          continue;
        }
        if (result.status >= 200 && result.status < 300) {
          const page = parsePage(result.text);
          if (page) {
            stats.pages += 1;
            return page;
          }
          retryReason = 'connection: incomplete or invalid JSON body';
          if (attempt >= policy.maxAttempts) {
            throw new KubeConnectionError(`${retryReason} (after ${attempt} attempts)`, { path, attempts: attempt });
          }
        } else {
          const status = parseStatus(result.text, result.status);
          if (result.status === 401 && !renewed && options.renewCredentials) {
            renewed = true;
            stats.renewals += 1;
            options.renewCredentials();
            options.onRetry?.({ path, attempt, delayMs: 0, reason: 'unauthorized: renewing token' });
            continue;
          }
          const retriable = result.status === 429 || result.status >= 500;
          if (!retriable || attempt >= policy.maxAttempts) {
            throw new KubeApiError({ ...status, status: result.status, path, attempts: attempt });
          }
          retryReason = `HTTP ${result.status} ${status.reason}`;
          const retryAfter = retryAfterMs(result.headers['retry-after']);
          if (retryAfter !== undefined) delayMs = Math.min(retryAfter, policy.maxDelayMs);
        }
        stats.retries += 1;
        options.onRetry?.({ path, attempt, delayMs, reason: retryReason });
        await sleep(delayMs);
      }
    },
  };
}

/** The KubeConfig seen through a view whose TLS connections resolve host names with `lookup`; the KubeConfig itself
 * is untouched. client-node builds its dispatcher from createDispatcherOptions (public), so only that is overridden.
 * A proxy resolves names itself: its options are left alone. */
function withLookup(kubeConfig: KubeConfig, lookup: LookupFunction): KubeConfig {
  const view = Object.create(kubeConfig) as KubeConfig;
  view.createDispatcherOptions = (cluster, agentOptions) => {
    const dispatcherOptions = kubeConfig.createDispatcherOptions(cluster, agentOptions);
    if (dispatcherOptions.type === 'agent') return { ...dispatcherOptions, connect: { ...dispatcherOptions.connect, lookup } };
    if (dispatcherOptions.type === 'none') return { type: 'agent', connect: { lookup, keepAlive: true, keepAliveInitialDelay: 30_000 } };
    return dispatcherOptions;
  };
  return view;
}

function parsePage(text: string): ListPage | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(body) || !Array.isArray(body.items)) return undefined;
  const meta = isRecord(body.metadata) ? body.metadata : {};
  const page: ListPage = { items: body.items };
  if (typeof meta.continue === 'string' && meta.continue !== '') page.continueToken = meta.continue;
  return page;
}

function parseStatus(text: string, code: number): { reason: string; message: string } {
  try {
    const body: unknown = JSON.parse(text);
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

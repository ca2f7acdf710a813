// A Kubernetes API emulator over HTTPS: list endpoints for the kinds Periscope collects, real pagination with
// expiring continue tokens, metadata-only lists, EKS bearer tokens checked by recomputing their signature,
// per-kind RBAC denials and injected faults. Used by the integration tests, the benchmark and the demo.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { collectedKinds, apiVersionOf, type KindSpec } from '../../kube/kinds.ts';
import type { AwsCredentials } from '../../eks/token.ts';
import type { KubeObject } from '../../model/kube.ts';
import { generateTls, type TlsMaterial } from '../tls.ts';
import { FaultPlan, type Fault, type FaultEffect } from './faults.ts';
import { ObjectStore } from './objects.ts';
import { verifyEksToken } from './token-verifier.ts';

export interface KubeApiOptions {
  /** The objects served, each with `kind` and `metadata.name` (namespaced kinds default to `default`). */
  objects?: readonly KubeObject[];
  /** The EKS cluster name tokens must be signed for. */
  clusterName?: string;
  region?: string;
  /** Principals whose EKS tokens are accepted. */
  credentials?: AwsCredentials[];
  /** Plain bearer tokens accepted as well (for kubeconfig-style tests). */
  staticTokens?: string[];
  /** Kinds every caller is forbidden to list (403), like a missing RBAC grant. */
  forbiddenKinds?: string[];
  faults?: Fault[];
  /** Largest page the server returns whatever `limit` asks (like an API server's own cap); unlimited by default. */
  pageSize?: number;
  /** How long a continue token stays valid (default 5 minutes, like etcd compaction). */
  continueTtlMs?: number;
  /** When false, the server ignores the metadata-only Accept header and sends whole objects (a misbehaving proxy). */
  honourMetadataOnly?: boolean;
  /** For tests: the emulator's clock (token expiry, continue-token expiry). */
  clock?: () => Date;
  /** The server's certificate; by default one CA and certificate generated once per process (openssl is slow). */
  tls?: TlsMaterial;
  /** More DNS names the server's certificate is valid for (an EKS-style endpoint name a test resolves to
   * 127.0.0.1), besides localhost and 127.0.0.1: a CA and certificate are generated for this server. */
  hostnames?: string[];
}

export interface RequestRecord {
  kind?: string;
  path: string;
  status: number;
  /** What the request met: a page, or the injected or natural failure. */
  outcome: 'page' | 'unauthorized' | 'forbidden' | 'expired' | 'fault' | 'not-found' | 'bad-request' | 'reset' | 'truncated';
  metadataOnly?: boolean;
  items?: number;
}

export interface KubeApi {
  /** https://127.0.0.1:<port> */
  url: string;
  caPem: string;
  /** The CA in the form kubeconfig and DescribeCluster carry it: base64 of the PEM. */
  caData: string;
  /** Every request the server received, in order. */
  readonly requests: readonly RequestRecord[];
  setObjects(objects: readonly KubeObject[]): void;
  apply(object: KubeObject): void;
  delete(kind: string, namespace: string | undefined, name: string): boolean;
  /** Replaces the fault plan (counters start again). */
  setFaults(faults: Fault[]): void;
  setForbiddenKinds(kinds: string[]): void;
  /** Makes every continue token handed out so far answer 410 Gone. */
  expireContinueTokens(): void;
  stop(): Promise<void>;
}

export async function startKubeApi(options: KubeApiOptions = {}): Promise<KubeApi> {
  const clock = options.clock ?? (() => new Date());
  const clusterName = options.clusterName ?? 'sandbox';
  const region = options.region ?? 'us-east-1';
  const store = new ObjectStore(options.objects ?? []);
  const continueTtlMs = options.continueTtlMs ?? 5 * 60_000;
  let faults = new FaultPlan(options.faults);
  let forbidden = new Set(options.forbiddenKinds ?? []);
  const requests: RequestRecord[] = [];
  if (options.tls && options.hostnames?.length) throw new Error('startKubeApi: pass either tls or hostnames, not both');
  const tls = options.tls ?? (options.hostnames?.length ? generateTls(['localhost', '127.0.0.1', ...options.hostnames]) : processTls());
  const routes = new Map(collectedKinds.map((spec) => [routeKey(spec), spec]));

  const authenticate = async (header: string | undefined): Promise<string | undefined> => {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token) return 'no bearer token';
    if (options.staticTokens?.includes(token)) return undefined;
    const verdict = await verifyEksToken(token, { clusterName, region, credentials: options.credentials ?? [], clock });
    return verdict.ok ? undefined : verdict.reason;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'https://emulator');
    const record: RequestRecord = { path: url.pathname + url.search, status: 0, outcome: 'page' };
    requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const rejection = await authenticate(request.headers.authorization);
    if (rejection !== undefined) {
      record.outcome = 'unauthorized';
      return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    if (request.method !== 'GET') {
      record.outcome = 'bad-request';
      return send(405, status(405, 'MethodNotAllowed', `the emulator serves only GET, not ${request.method}`));
    }
    if (url.pathname === '/version') {
      return send(200, { major: '1', minor: '31', gitVersion: 'v1.31.0-eks-emulator', platform: 'linux/amd64' });
    }
    const route = parseListPath(url.pathname);
    const spec = route && routes.get(route.key);
    if (!route || !spec || (route.namespace !== undefined && !spec.namespaced)) {
      record.outcome = 'not-found';
      return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    }
    record.kind = spec.kind;
    let endless = false;
    for (const effect of orderEffects(faults.next(spec.kind))) {
      if (effect.type === 'endless') {
        endless = true;
        continue;
      }
      if (effect.type === 'latency') {
        await delay(effect.ms);
        continue;
      }
      record.outcome = effect.type === 'reset' ? 'reset' : effect.type === 'truncate' ? 'truncated' : 'fault';
      if (effect.type === 'reset') {
        request.socket.destroy();
        return;
      }
      if (effect.type === 'status') {
        const headers: Record<string, string> = {};
        if (effect.retryAfterSeconds !== undefined) headers['retry-after'] = String(effect.retryAfterSeconds);
        return send(effect.status, status(effect.status, reasonOf(effect.status), `injected ${effect.status}`), headers);
      }
      if (effect.type === 'truncate') break;
    }
    if (forbidden.has(spec.kind)) {
      record.outcome = 'forbidden';
      const scope = route.namespace ? `in the namespace "${route.namespace}"` : 'at the cluster scope';
      return send(
        403,
        status(
          403,
          'Forbidden',
          `${spec.resource} is forbidden: User "periscope" cannot list resource "${spec.resource}" in API group "${spec.group}" ${scope}`,
        ),
      );
    }
    const limit = Number(url.searchParams.get('limit') ?? 0) || undefined;
    const pageSize = options.pageSize && (!limit || limit > options.pageSize) ? options.pageSize : limit;
    const page = store.page(spec, route.namespace, pageSize, endless ? undefined : (url.searchParams.get('continue') ?? undefined), {
      now: clock().getTime(),
      continueTtlMs,
    });
    if (!page.ok) {
      record.outcome = page.status === 410 ? 'expired' : 'bad-request';
      const body = status(page.status, page.status === 410 ? 'Expired' : 'BadRequest', page.message);
      if (page.continueToken) body.metadata = { continue: page.continueToken };
      return send(page.status, body);
    }
    const metadataOnly =
      (options.honourMetadataOnly ?? true) && (request.headers.accept ?? '').includes('as=PartialObjectMetadataList');
    record.metadataOnly = metadataOnly;
    record.items = page.items.length;
    const listMeta: Record<string, unknown> = { resourceVersion: page.resourceVersion };
    if (page.continueToken) {
      listMeta.continue = page.continueToken;
      listMeta.remainingItemCount = page.remaining;
    } else if (endless) listMeta.continue = `endless-${requests.length}`;
    const body = metadataOnly
      ? {
          kind: 'PartialObjectMetadataList',
          apiVersion: 'meta.k8s.io/v1',
          metadata: listMeta,
          items: page.items.map((item) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: item.metadata })),
        }
      : { kind: `${spec.kind}List`, apiVersion: apiVersionOf(spec), metadata: listMeta, items: page.items.map(asListItem) };
    const text = JSON.stringify(body);
    if (record.outcome === 'truncated') {
      record.status = 200;
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      response.write(text.slice(0, Math.floor(text.length / 2)), () => request.socket.destroy());
      return;
    }
    send(200, text);
  };

  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify(status(500, 'InternalError', `emulator error: ${String(error)}`)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    caPem: tls.caPem,
    caData: Buffer.from(tls.caPem).toString('base64'),
    requests,
    setObjects: (objects) => store.setObjects(objects),
    apply: (object) => store.apply(object),
    delete: (kind, namespace, name) => store.delete(kind, namespace, name),
    setFaults(next) {
      faults = new FaultPlan(next);
    },
    setForbiddenKinds(kinds) {
      forbidden = new Set(kinds);
    },
    expireContinueTokens: () => store.expireContinueTokens(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let generated: TlsMaterial | undefined;
function processTls(): TlsMaterial {
  generated ??= generateTls();
  return generated;
}

function routeKey(spec: KindSpec): string {
  return `${spec.group}/${spec.version}/${spec.resource}`;
}

function parseListPath(pathname: string): { key: string; namespace?: string } | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api') {
    group = '';
    rest = parts.slice(1);
  } else if (parts[0] === 'apis' && parts[1]) {
    group = parts[1];
    rest = parts.slice(2);
  } else return undefined;
  const [version, ...tail] = rest;
  if (!version) return undefined;
  if (tail.length === 1 && tail[0]) return { key: `${group}/${version}/${tail[0]}` };
  if (tail.length === 3 && tail[0] === 'namespaces' && tail[1] && tail[2]) {
    return { key: `${group}/${version}/${tail[2]}`, namespace: tail[1] };
  }
  return undefined;
}

/** Latency first, so "slow then failing" reads as it happens on a real server. */
function orderEffects(effects: FaultEffect[]): FaultEffect[] {
  return [...effects.filter((effect) => effect.type === 'latency'), ...effects.filter((effect) => effect.type !== 'latency')];
}

/** List items carry no kind or apiVersion on a real API server; the emulator strips them the same way. */
function asListItem(object: KubeObject): KubeObject {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = object;
  return rest;
}

function reasonOf(code: number): string {
  const reasons: Record<number, string> = {
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    410: 'Expired',
    429: 'TooManyRequests',
    500: 'InternalError',
    502: 'BadGateway',
    503: 'ServiceUnavailable',
  };
  return reasons[code] ?? 'Unknown';
}

function status(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

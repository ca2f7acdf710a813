// Lists every kind the rules need, page by page, into a Snapshot with per-kind coverage, a few kinds at a time.
// Each page is shaped (secrets to metadata, replicas to summaries) as it arrives and then dropped, so memory
// follows what is kept.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterInfo, ClusterRef } from '../model/cluster.ts';
import { isRecord, type KubeObject } from '../model/kube.ts';
import type { KindCoverage, Snapshot } from '../model/snapshot.ts';
import { createKubeClient, KubeApiError, KubeConnectionError, type KubeClient, type KubeClientTuning } from './client.ts';
import type { BearerTokenSource, ClusterEndpoint } from './endpoint.ts';
import { collectedKinds, listPath, type KindSpec } from './kinds.ts';
import { controllerKey, controllerKinds, shapedAfterControllers, shapeObject, type ControllerIndex } from './shape.ts';

export const DEFAULT_PAGE_LIMIT = 500;
/** Pages read of one kind before the list is given up as endless (a continue token that never ends): 2,000 pages of
 * 500 is a million objects of one kind, far past any real cluster. */
export const DEFAULT_MAX_PAGES_PER_KIND = 2_000;
/** Kinds listed at once. Each list is one long-running request in the API server's priority-and-fairness
 * queues; a handful stays well inside the shares a client gets there (and 429s are honoured as they come). */
export const DEFAULT_LIST_CONCURRENCY = 5;

export interface KindProgress {
  kind: string;
  /** 1-based position of the kind in the collection, and how many kinds there are. */
  index: number;
  total: number;
  phase: 'start' | 'page' | 'done';
  /** Objects kept so far for this kind. */
  count: number;
  pages: number;
  /** On `done`: the kind's coverage. */
  coverage?: KindCoverage;
}

export interface CollectOptions {
  /** A ready client; or a KubeConfig, or an endpoint with a token source, to build one from (with `clientOptions`). */
  client?: KubeClient;
  kubeConfig?: KubeConfig;
  /** The cluster's https endpoint and CA, with `tokens`: what the scan Lambda connects with (no client-node). */
  endpoint?: ClusterEndpoint;
  tokens?: BearerTokenSource;
  clientOptions?: KubeClientTuning;
  cluster: ClusterRef;
  clusterInfo?: ClusterInfo;
  /** Coverage gathered before the Kubernetes API (the `eks:<Call>` entries); kept in the snapshot. */
  coverage?: Record<string, KindCoverage>;
  /** Objects per page (default 500). */
  pageLimit?: number;
  /** Pages of one kind read at most (default 2,000); a list still going is recorded incomplete. */
  maxPagesPerKind?: number;
  /** The whole collection's time budget in milliseconds: when it is spent, the requests in flight are stopped and
   * every kind not completely read by then is recorded incomplete (`failed: ... the scan's deadline ...`). */
  deadlineMs?: number;
  /** Kinds listed at the same time (default 5; 1 lists them one after another). The snapshot, its coverage and
   * the progress events are the same whatever the number. */
  concurrency?: number;
  /** Kinds deliberately not listed (e.g. `Secret` in strict mode), recorded as `skipped: ...`. */
  skipKinds?: readonly string[];
  kinds?: readonly KindSpec[];
  /** Called in collection order, kind by kind, as a sequential collection would call it. */
  onProgress?: (progress: KindProgress) => void;
  /** For tests: the snapshot's timestamp. */
  clock?: () => Date;
}

export async function collectSnapshot(options: CollectOptions): Promise<Snapshot> {
  const client = options.client ?? clientFrom(options);
  const kinds = options.kinds ?? collectedKinds;
  const limit = options.pageLimit ?? DEFAULT_PAGE_LIMIT;
  const concurrency = options.concurrency ?? DEFAULT_LIST_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`collectSnapshot: concurrency must be a whole number of at least 1, not ${concurrency}`);
  }
  const maxPages = options.maxPagesPerKind ?? DEFAULT_MAX_PAGES_PER_KIND;
  if (!Number.isInteger(maxPages) || maxPages < 1) {
    throw new Error(`collectSnapshot: maxPagesPerKind must be a whole number of at least 1, not ${maxPages}`);
  }
  const deadline = options.deadlineMs === undefined ? undefined : deadlineSignal(options.deadlineMs);
  const skip = new Set(options.skipKinds ?? []);
  const snapshot: Snapshot = {
    cluster: options.cluster,
    objects: {},
    coverage: { ...options.coverage },
    takenAt: (options.clock ?? (() => new Date()))().toISOString(),
  };
  if (options.clusterInfo) snapshot.clusterInfo = options.clusterInfo;
  const controllers: ControllerIndex = new Map();
  const order = collectionOrder(kinds, skip, options.onProgress);
  // Controllers listed before the first kind shaped against them (pods): those it waits for, as it would have in
  // a sequential collection; a controller kind listed after it is not indexed, for the same reason.
  const firstShaped = kinds.findIndex((spec) => shapedAfterControllers.has(spec.kind));
  const awaited = new Set(
    kinds.flatMap((spec, position) => (controllerKinds.has(spec.kind) && (firstShaped < 0 || position < firstShaped) ? [position] : [])),
  );
  const controllersListed = Promise.withResolvers<void>();
  if (awaited.size === 0) controllersListed.resolve();

  const list = async (position: number): Promise<void> => {
    const spec = kinds[position] as KindSpec;
    const base = { kind: spec.kind, index: position + 1, total: kinds.length };
    let result: KindResult;
    if (skip.has(spec.kind)) {
      result = { objects: [], coverage: { complete: false, count: 0, error: `skipped: ${spec.kind} not listed by configuration` } };
    } else if (order.failedBefore(position)) {
      result = { objects: [], coverage: notListed(order.fatalError()) };
    } else {
      order.emit(position, { ...base, phase: 'start', count: 0, pages: 0 });
      const bounds = { limit, maxPages, ...(deadline ? { signal: deadline.signal } : {}) };
      result = await collectKind(client, spec, bounds, controllers, (count, pages) =>
        order.emit(position, { ...base, phase: 'page', count, pages }),
      );
    }
    if (awaited.delete(position)) {
      indexControllers(spec.kind, result.objects, controllers);
      if (awaited.size === 0) controllersListed.resolve();
    }
    order.settle(position, result);
  };

  // The first kind alone: a token the server refuses or a CA that does not match is found with one request.
  const [first, ...rest] = schedule(kinds);
  if (first !== undefined) await list(first);
  const queue = [...rest];
  const worker = async () => {
    for (let position = queue.shift(); position !== undefined; position = queue.shift()) {
      const spec = kinds[position] as KindSpec;
      if (shapedAfterControllers.has(spec.kind)) await controllersListed.promise;
      await list(position);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  } finally {
    deadline?.clear();
  }

  for (const [position, spec] of kinds.entries()) {
    const result = order.result(position);
    snapshot.objects[spec.kind] = result.objects;
    snapshot.coverage[spec.kind] = result.coverage;
  }
  return snapshot;
}

/** The order kinds are started in: the first kind, then the controllers (pods wait for them), pods, the rest. */
function schedule(kinds: readonly KindSpec[]): number[] {
  const positions = kinds.map((_, position) => position);
  const [first, ...rest] = positions;
  if (first === undefined) return [];
  const rank = (position: number) => {
    const kind = (kinds[position] as KindSpec).kind;
    return controllerKinds.has(kind) ? 0 : shapedAfterControllers.has(kind) ? 1 : 2;
  };
  return [first, ...rest.sort((a, b) => rank(a) - rank(b) || a - b)];
}

/**
 * Kinds listed at once, reported as a sequential collection reports them. A kind's progress events are passed on
 * live while every kind before it is settled, and held until then otherwise. When a kind fails fatally (a 401 a
 * fresh token did not cure, an untrusted certificate), each kind after it in collection order is "not listed
 * after an earlier failure", as it would have been in a sequential collection, even if it was being listed.
 */
function collectionOrder(kinds: readonly KindSpec[], skip: ReadonlySet<string>, onProgress: ((progress: KindProgress) => void) | undefined) {
  const states = kinds.map(() => ({ held: [] as KindProgress[], result: undefined as KindResult | undefined, superseded: false }));
  let head = 0;
  let fatalAt = Number.POSITIVE_INFINITY;
  let fatalError = '';
  const stateOf = (position: number) => states[position] as (typeof states)[number];

  const advance = () => {
    while (head < kinds.length && stateOf(head).result) {
      head += 1;
      if (head >= kinds.length) return;
      const state = stateOf(head);
      const spec = kinds[head] as KindSpec;
      if (head > fatalAt && !skip.has(spec.kind)) {
        state.superseded = true;
        state.held = [];
        state.result = { objects: [], coverage: notListed(fatalError) };
        onProgress?.({ kind: spec.kind, index: head + 1, total: kinds.length, phase: 'done', count: 0, pages: 0, coverage: state.result.coverage });
        continue;
      }
      for (const event of state.held) onProgress?.(event);
      state.held = [];
    }
  };

  const emit = (position: number, event: KindProgress) => {
    const state = stateOf(position);
    if (!onProgress || state.superseded) return;
    if (position === head) onProgress(event);
    else state.held.push(event);
  };

  return {
    failedBefore: (position: number) => position > fatalAt,
    fatalError: () => fatalError,
    emit,
    settle(position: number, result: KindResult) {
      const state = stateOf(position);
      if (state.superseded) return;
      if (result.fatal && position < fatalAt) {
        fatalAt = position;
        fatalError = result.coverage.error ?? '';
      }
      emit(position, { kind: (kinds[position] as KindSpec).kind, index: position + 1, total: kinds.length, phase: 'done', count: result.objects.length, pages: 0, coverage: result.coverage });
      state.result = result;
      advance();
    },
    result: (position: number) => stateOf(position).result as KindResult,
  };
}

/** A signal that aborts once `ms` have passed, its reason naming the deadline; `clear` lets the process exit early. */
function deadlineSignal(ms: number): { signal: AbortSignal; clear: () => void } {
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`collectSnapshot: deadlineMs must be a positive number, not ${ms}`);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`the scan's deadline of ${formatDuration(ms)} passed`)), ms);
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

function notListed(fatal: string): KindCoverage {
  return { complete: false, count: 0, error: `failed: not listed after an earlier failure (${fatal.replace(/^failed: /, '')})` };
}

function clientFrom(options: CollectOptions): KubeClient {
  if (options.kubeConfig) return createKubeClient({ ...options.clientOptions, kubeConfig: options.kubeConfig });
  if (options.endpoint && options.tokens) return createKubeClient({ ...options.clientOptions, endpoint: options.endpoint, tokens: options.tokens });
  throw new Error('collectSnapshot needs a client, a kubeConfig, or an endpoint with tokens');
}

interface KindResult {
  objects: KubeObject[];
  coverage: KindCoverage;
  fatal?: boolean;
}

interface KindBounds {
  limit: number;
  maxPages: number;
  signal?: AbortSignal;
}

async function collectKind(
  client: KubeClient,
  spec: KindSpec,
  bounds: KindBounds,
  controllers: ControllerIndex,
  onPage: (count: number, pages: number) => void,
): Promise<KindResult> {
  const path = listPath(spec);
  const { limit, maxPages } = bounds;
  // Each item is shaped as it comes off the wire: the raw page is never held.
  const listOptions = {
    metadataOnly: spec.metadataOnly === true,
    take: (item: unknown) => shapeObject(spec, item, controllers),
    ...(bounds.signal ? { signal: bounds.signal } : {}),
  };
  let restarted = false;
  for (;;) {
    const objects: KubeObject[] = [];
    let pages = 0;
    try {
      let continueToken: string | undefined;
      do {
        if (pages >= maxPages) {
          return {
            objects,
            coverage: {
              complete: false,
              count: objects.length,
              error:
                `failed: listing ${spec.resource} (${path}) stopped after ${pages} pages of ${limit}: the server kept handing ` +
                'out continue tokens (raise the page cap if the kind really is that large)',
            },
          };
        }
        const query = continueToken === undefined ? { limit } : { limit, continue: continueToken };
        const page = await client.listPage(path, query, listOptions);
        pages += 1;
        for (const object of page.items) objects.push(object);
        continueToken = page.continueToken;
        onPage(objects.length, pages);
      } while (continueToken !== undefined);
      return { objects, coverage: { complete: true, count: objects.length } };
    } catch (error) {
      // An expired continue token: the list is restarted from the beginning, once, for a consistent result.
      if (error instanceof KubeApiError && error.status === 410 && !restarted) {
        restarted = true;
        continue;
      }
      if (error instanceof KubeApiError && error.status === 404 && spec.optional && pages === 0) {
        return { objects: [], coverage: { complete: true, count: 0 } };
      }
      return {
        objects,
        coverage: { complete: false, count: objects.length, error: describeFailure(spec, error) },
        fatal:
          (error instanceof KubeApiError && error.status === 401) ||
          (error instanceof KubeConnectionError && (error.untrusted || error.aborted || error.unauthenticated)),
      };
    }
  }
}

function describeFailure(spec: KindSpec, error: unknown): string {
  const what = `listing ${spec.resource} (${listPath(spec)})`;
  if (error instanceof KubeApiError) {
    if (error.status === 403) return `forbidden: ${error.message}`;
    if (error.status === 401) {
      return (
        `failed: unauthorized (401) while ${what}, even with a fresh token; check that the scanner's IAM principal ` +
        'has an access entry on this cluster'
      );
    }
    if (error.status === 410) return `failed: ${what}: the list expired (410 Gone) twice in a row`;
    return `failed: HTTP ${error.status} ${error.reason} after ${error.attempts} attempt(s) while ${what}: ${error.message}`;
  }
  if (error instanceof KubeConnectionError) {
    if (error.aborted) return `failed: ${what} ${error.message}`;
    return `failed: ${what}: ${error.message}`;
  }
  return `failed: ${what}: ${error instanceof Error ? error.message : String(error)}`;
}

function indexControllers(kind: string, objects: readonly KubeObject[], controllers: ControllerIndex): void {
  for (const object of objects) {
    const meta = isRecord(object.metadata) ? object.metadata : {};
    if (typeof meta.namespace === 'string' && typeof meta.name === 'string' && typeof meta.uid === 'string') {
      controllers.set(controllerKey(kind, meta.namespace, meta.name), meta.uid);
    }
  }
}

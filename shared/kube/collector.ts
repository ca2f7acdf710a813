// Lists every kind the rules need, page by page, into a Snapshot with per-kind coverage. Each page is shaped
// (secrets to metadata, replicas to summaries) as it arrives and then dropped, so memory follows what is kept.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterInfo, ClusterRef } from '../model/cluster.ts';
import { isRecord, type KubeObject } from '../model/kube.ts';
import type { KindCoverage, Snapshot } from '../model/snapshot.ts';
import { createKubeClient, KubeApiError, KubeConnectionError, type KubeClient, type KubeClientOptions } from './client.ts';
import { collectedKinds, listPath, type KindSpec } from './kinds.ts';
import { controllerKey, controllerKinds, shapeObject, type ControllerIndex } from './shape.ts';

export const DEFAULT_PAGE_LIMIT = 500;

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
  /** A ready client, or a KubeConfig to build one from (with `clientOptions`). */
  client?: KubeClient;
  kubeConfig?: KubeConfig;
  clientOptions?: Omit<KubeClientOptions, 'kubeConfig'>;
  cluster: ClusterRef;
  clusterInfo?: ClusterInfo;
  /** Coverage gathered before the Kubernetes API (the `eks:<Call>` entries); kept in the snapshot. */
  coverage?: Record<string, KindCoverage>;
  /** Objects per page (default 500). */
  pageLimit?: number;
  /** Kinds deliberately not listed (e.g. `Secret` in strict mode), recorded as `skipped: ...`. */
  skipKinds?: readonly string[];
  kinds?: readonly KindSpec[];
  onProgress?: (progress: KindProgress) => void;
  /** For tests: the snapshot's timestamp. */
  clock?: () => Date;
}

export async function collectSnapshot(options: CollectOptions): Promise<Snapshot> {
  const client = options.client ?? clientFrom(options);
  const kinds = options.kinds ?? collectedKinds;
  const limit = options.pageLimit ?? DEFAULT_PAGE_LIMIT;
  const skip = new Set(options.skipKinds ?? []);
  const snapshot: Snapshot = {
    cluster: options.cluster,
    objects: {},
    coverage: { ...options.coverage },
    takenAt: (options.clock ?? (() => new Date()))().toISOString(),
  };
  if (options.clusterInfo) snapshot.clusterInfo = options.clusterInfo;
  const controllers: ControllerIndex = new Map();
  // After a 401 that a fresh token did not cure, or a certificate that does not verify, every further request
  // would fail the same way: the remaining kinds are marked with the same error instead of being asked for.
  let fatal: string | undefined;

  for (const [position, spec] of kinds.entries()) {
    const progress = { kind: spec.kind, index: position + 1, total: kinds.length };
    let coverage: KindCoverage;
    let objects: KubeObject[] = [];
    if (skip.has(spec.kind)) {
      coverage = { complete: false, count: 0, error: `skipped: ${spec.kind} not listed by configuration` };
    } else if (fatal) {
      coverage = { complete: false, count: 0, error: `failed: not listed after an earlier failure (${fatal.replace(/^failed: /, '')})` };
    } else {
      options.onProgress?.({ ...progress, phase: 'start', count: 0, pages: 0 });
      const result = await collectKind(client, spec, limit, controllers, (count, pages) =>
        options.onProgress?.({ ...progress, phase: 'page', count, pages }),
      );
      objects = result.objects;
      coverage = result.coverage;
      if (result.fatal) fatal = coverage.error;
    }
    snapshot.objects[spec.kind] = objects;
    snapshot.coverage[spec.kind] = coverage;
    if (controllerKinds.has(spec.kind)) indexControllers(spec.kind, objects, controllers);
    options.onProgress?.({ ...progress, phase: 'done', count: objects.length, pages: 0, coverage });
  }
  return snapshot;
}

function clientFrom(options: CollectOptions): KubeClient {
  if (!options.kubeConfig) throw new Error('collectSnapshot needs a client or a kubeConfig');
  return createKubeClient({ ...options.clientOptions, kubeConfig: options.kubeConfig });
}

interface KindResult {
  objects: KubeObject[];
  coverage: KindCoverage;
  fatal?: boolean;
}

async function collectKind(
  client: KubeClient,
  spec: KindSpec,
  limit: number,
  controllers: ControllerIndex,
  onPage: (count: number, pages: number) => void,
): Promise<KindResult> {
  const path = listPath(spec);
  let restarted = false;
  for (;;) {
    const objects: KubeObject[] = [];
    let pages = 0;
    try {
      let continueToken: string | undefined;
      do {
        const query = continueToken === undefined ? { limit } : { limit, continue: continueToken };
        const page = await client.listPage(path, query, { metadataOnly: spec.metadataOnly === true });
        pages += 1;
        for (const item of page.items) {
          const object = shapeObject(spec, item, controllers);
          if (object) objects.push(object);
        }
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
          (error instanceof KubeConnectionError && error.untrusted),
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
  if (error instanceof KubeConnectionError) return `failed: ${what}: ${error.message}`;
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

// The scan the benchmark measures, wired the way functions/runtime.ts wires it (every rule, the platform
// defaults as exceptions), and the floor it is compared with: listing and parsing the same pages, nothing else.
import { Agent, request } from 'node:https';
import { evaluatorOf, type Evaluation } from '../shared/engine/evaluator.ts';
import { eksTokenProvider } from '../shared/eks/index.ts';
import { collectSnapshot } from '../shared/kube/collector.ts';
import { collectedKinds, listPath, METADATA_ONLY_ACCEPT } from '../shared/kube/kinds.ts';
import { DEFAULT_LIST_CONCURRENCY, DEFAULT_PAGE_LIMIT } from '../shared/kube/collector.ts';
import type { Snapshot } from '../shared/model/snapshot.ts';
import { rules } from '../shared/rules/index.ts';
import { benchClient, benchCredentials, benchRegion } from './children.ts';
import type { ServedCluster } from './services.ts';

const evaluator = evaluatorOf({ rules });

export function evaluate(snapshot: Snapshot): Evaluation {
  return evaluator(snapshot, new Date());
}

export async function collect(cluster: ServedCluster, pageLimit = DEFAULT_PAGE_LIMIT, concurrency = DEFAULT_LIST_CONCURRENCY): Promise<Snapshot> {
  return collectSnapshot({ client: benchClient(cluster), cluster: { id: cluster.name, name: cluster.name, source: 'eks' }, pageLimit, concurrency });
}

export interface ListResult {
  pages: number;
  items: number;
  bytes: number;
}

/** Every kind the collector lists, page by page with the same limit and Accept headers, each body JSON.parse'd
 * and dropped: the least any scanner must do to read the cluster. `concurrency` kinds at a time (as the collector),
 * over as many keep-alive TLS connections, CA verified. */
export async function listAndParse(cluster: ServedCluster, pageLimit = DEFAULT_PAGE_LIMIT, concurrency = DEFAULT_LIST_CONCURRENCY): Promise<ListResult> {
  const ca = Buffer.from(cluster.caData, 'base64').toString('utf8');
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, ca });
  const tokens = eksTokenProvider({ clusterName: cluster.name, region: benchRegion, credentials: benchCredentials });
  const result: ListResult = { pages: 0, items: 0, bytes: 0 };
  const queue = [...collectedKinds];
  const worker = async () => {
    for (let spec = queue.shift(); spec; spec = queue.shift()) {
      let continueToken: string | undefined;
      do {
        const url = new URL(cluster.url + listPath(spec));
        url.searchParams.set('limit', String(pageLimit));
        if (continueToken) url.searchParams.set('continue', continueToken);
        const headers = {
          accept: spec.metadataOnly ? METADATA_ONLY_ACCEPT : 'application/json',
          authorization: `Bearer ${await tokens.token()}`,
        };
        const { status, body } = await get(url, headers, agent);
        if (status !== 200) throw new Error(`listing ${url.pathname} on ${cluster.name}: HTTP ${status}`);
        const page = JSON.parse(body) as { items: unknown[]; metadata?: { continue?: string } };
        result.pages += 1;
        result.items += page.items.length;
        result.bytes += Buffer.byteLength(body);
        continueToken = page.metadata?.continue || undefined;
      } while (continueToken);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return result;
}

function get(url: URL, headers: Record<string, string>, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export function objectCount(snapshot: Snapshot): number {
  return Object.values(snapshot.objects).reduce((sum, list) => sum + (list?.length ?? 0), 0);
}

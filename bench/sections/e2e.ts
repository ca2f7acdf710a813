// End to end: a scan (collect every kind page by page, shape, evaluate) against the emulator, against the floor of
// listing and JSON.parse-ing the same pages with the same page size and concurrency. Rounds alternate so both see
// the same machine. Then the same scan of a cluster 50 ms away, kinds listed one after another and concurrently.
import { DEFAULT_LIST_CONCURRENCY, DEFAULT_PAGE_LIMIT } from '../../shared/kube/collector.ts';
import { median, round, startServices } from '../children.ts';
import { collect, evaluate, listAndParse, objectCount } from '../scan.ts';

export interface EndToEndOptions {
  pods: number;
  rounds: number;
  latencyMs: number;
  pageLimit?: number;
  /** The sequential-against-concurrent comparison: a cluster this far away. */
  remote: { pods: number; latencyMs: number; rounds: number };
}

export interface RemoteResult {
  pods: number;
  latencyMs: number;
  concurrency: number;
  /** Median collect + evaluate, kinds listed one after another. */
  sequentialMs: number;
  /** The same with `concurrency` kinds at a time. */
  concurrentMs: number;
  /** sequentialMs ÷ concurrentMs (target ≥ 3). */
  speedup: number;
  /** Both gave the same findings (fingerprint and content hash, in order) in every round. */
  identicalFindings: boolean;
}

export interface EndToEndResult {
  pods: number;
  objectsServed: number;
  pageLimit: number;
  latencyMs: number;
  pages: number;
  wireMiB: number;
  listAndParseMs: number;
  collectMs: number;
  evaluateMs: number;
  scanMs: number;
  /** scanMs ÷ listAndParseMs (target ≤ 1.1). */
  ratio: number;
  /** collectMs ÷ listAndParseMs: what listing and shaping cost over the floor, evaluation apart. */
  collectRatio: number;
  /** evaluateMs ÷ scanMs. */
  evaluateShare: number;
  /** Objects served ÷ evaluation time. */
  objectsPerSecond: number;
  concurrency: number;
  findings: number;
  remote: RemoteResult;
}

export async function endToEndSection(options: EndToEndOptions): Promise<EndToEndResult> {
  const pageLimit = options.pageLimit ?? DEFAULT_PAGE_LIMIT;
  const services = await startServices({ clusters: [{ name: 'e2e', profile: { pods: options.pods }, latencyMs: options.latencyMs }] });
  try {
    const cluster = services.ready.clusters[0];
    if (!cluster) throw new Error('no emulated cluster');
    const floors: number[] = [];
    const collects: number[] = [];
    const evaluations: number[] = [];
    let list = { pages: 0, items: 0, bytes: 0 };
    let findings = 0;
    let kept = 0;
    for (let round = 0; round <= options.rounds; round += 1) {
      const listStart = performance.now();
      list = await listAndParse(cluster, pageLimit);
      const listMs = performance.now() - listStart;
      const collectStart = performance.now();
      const snapshot = await collect(cluster, pageLimit);
      const collectMs = performance.now() - collectStart;
      const evaluateStart = performance.now();
      findings = evaluate(snapshot).findings.length;
      const evaluateMs = performance.now() - evaluateStart;
      kept = objectCount(snapshot);
      if (list.items !== cluster.objects || kept === 0) {
        throw new Error(`listed ${list.items} objects and kept ${kept} of the ${cluster.objects} served`);
      }
      // Round 0 warms up connections, token signing and the JIT, and is not counted.
      if (round > 0) {
        floors.push(listMs);
        collects.push(collectMs);
        evaluations.push(evaluateMs);
      }
    }
    const listAndParseMs = median(floors);
    const collectMs = median(collects);
    const evaluateMs = median(evaluations);
    return {
      pods: cluster.pods,
      objectsServed: cluster.objects,
      pageLimit,
      latencyMs: options.latencyMs,
      pages: list.pages,
      wireMiB: round(list.bytes / 2 ** 20, 1),
      listAndParseMs: Math.round(listAndParseMs),
      collectMs: Math.round(collectMs),
      evaluateMs: Math.round(evaluateMs),
      scanMs: Math.round(collectMs + evaluateMs),
      ratio: round((collectMs + evaluateMs) / listAndParseMs, 2),
      collectRatio: round(collectMs / listAndParseMs, 2),
      evaluateShare: round(evaluateMs / (collectMs + evaluateMs), 2),
      objectsPerSecond: Math.round(cluster.objects / (evaluateMs / 1000)),
      concurrency: DEFAULT_LIST_CONCURRENCY,
      findings,
      remote: await remoteSection(options.remote),
    };
  } finally {
    await services.stop();
  }
}

async function remoteSection(options: EndToEndOptions['remote']): Promise<RemoteResult> {
  const services = await startServices({ clusters: [{ name: 'remote', profile: { pods: options.pods }, latencyMs: options.latencyMs }] });
  try {
    const cluster = services.ready.clusters[0];
    if (!cluster) throw new Error('no emulated cluster');
    const scan = async (concurrency: number) => {
      const started = performance.now();
      const { findings } = evaluate(await collect(cluster, DEFAULT_PAGE_LIMIT, concurrency));
      return { ms: performance.now() - started, findings: findings.map((f) => `${f.fingerprint}:${f.contentHash}`).join('\n') };
    };
    const sequential: number[] = [];
    const concurrent: number[] = [];
    let identicalFindings = true;
    for (let round = 0; round <= options.rounds; round += 1) {
      const one = await scan(1);
      const many = await scan(DEFAULT_LIST_CONCURRENCY);
      identicalFindings &&= one.findings === many.findings && one.findings.length > 0;
      if (round > 0) {
        sequential.push(one.ms);
        concurrent.push(many.ms);
      }
    }
    const sequentialMs = median(sequential);
    const concurrentMs = median(concurrent);
    return {
      pods: cluster.pods,
      latencyMs: options.latencyMs,
      concurrency: DEFAULT_LIST_CONCURRENCY,
      sequentialMs: Math.round(sequentialMs),
      concurrentMs: Math.round(concurrentMs),
      speedup: round(sequentialMs / concurrentMs, 2),
      identicalFindings,
    };
  } finally {
    await services.stop();
  }
}

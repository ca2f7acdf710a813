// End to end: a scan (collect every kind page by page, shape, evaluate) against the emulator, against the floor of
// listing and JSON.parse-ing the same pages with the same page size. Rounds alternate so both see the same machine.
import { DEFAULT_PAGE_LIMIT } from '../../shared/kube/index.ts';
import { median, round, startServices } from '../children.ts';
import { collect, evaluate, listAndParse, objectCount } from '../scan.ts';

export interface EndToEndOptions {
  pods: number;
  rounds: number;
  latencyMs: number;
  pageLimit?: number;
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
  /** scanMs ÷ listAndParseMs (target ≤ 1.3). */
  ratio: number;
  findings: number;
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
      findings,
    };
  } finally {
    await services.stop();
  }
}

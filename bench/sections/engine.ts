// Engine: how long every rule takes over a collected snapshot, against how long JSON.parse takes to read that
// snapshot's text. Both in this process, on the same snapshot, medians of several rounds after a warm-up.
import type { Snapshot } from '../../shared/model/snapshot.ts';
import { median, round } from '../children.ts';
import { collect, evaluate, objectCount } from '../scan.ts';
import { startServices } from '../children.ts';

export interface EngineOptions {
  pods: number;
  rounds: number;
}

export interface EngineResult {
  pods: number;
  objects: number;
  /** Objects the rules were run on (replicas are judged through their controller). */
  evaluated: number;
  findings: number;
  rules: number;
  snapshotMiB: number;
  parseMs: number;
  evaluateMs: number;
  /** evaluateMs ÷ parseMs (target ≤ 0.5). */
  ratio: number;
  objectsPerSecond: number;
  evaluatedPerSecond: number;
}

export async function engineSection(options: EngineOptions): Promise<EngineResult> {
  const services = await startServices({ clusters: [{ name: 'engine', profile: { pods: options.pods } }] });
  let text: string;
  try {
    const cluster = services.ready.clusters[0];
    if (!cluster) throw new Error('no emulated cluster');
    text = JSON.stringify(await collect(cluster));
  } finally {
    await services.stop();
  }
  const parses: number[] = [];
  const evaluations: number[] = [];
  let last: ReturnType<typeof evaluate> | undefined;
  let objects = 0;
  for (let round = 0; round <= options.rounds; round += 1) {
    const parseStart = performance.now();
    const snapshot = JSON.parse(text) as Snapshot;
    const parseMs = performance.now() - parseStart;
    const evaluateStart = performance.now();
    last = evaluate(snapshot);
    const evaluateMs = performance.now() - evaluateStart;
    objects = objectCount(snapshot);
    // Round 0 warms the JIT up and is not counted.
    if (round > 0) {
      parses.push(parseMs);
      evaluations.push(evaluateMs);
    }
  }
  const parseMs = median(parses);
  const evaluateMs = median(evaluations);
  const { rules } = await import('../../shared/rules/index.ts');
  return {
    pods: options.pods,
    objects,
    evaluated: last?.evaluated ?? 0,
    findings: last?.findings.length ?? 0,
    rules: rules.length,
    snapshotMiB: round(Buffer.byteLength(text) / 2 ** 20, 1),
    parseMs: round(parseMs, 1),
    evaluateMs: round(evaluateMs, 1),
    ratio: round(evaluateMs / parseMs, 2),
    objectsPerSecond: Math.round(objects / (evaluateMs / 1000)),
    evaluatedPerSecond: Math.round((last?.evaluated ?? 0) / (evaluateMs / 1000)),
  };
}

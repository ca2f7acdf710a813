// Memory: the peak RSS of one scan (collect, evaluate, reconcile) in a fresh process per cluster size, the
// emulator in another, so the figure is the scanner's alone; and how it grows with the number of pods.
import { round, runChild, startServices } from '../children.ts';
import type { ScanChildResult } from '../scan-child.ts';

export interface MemoryOptions {
  /** Cluster sizes in pods, smallest first. */
  sizes: number[];
}

export interface MemoryPoint extends ScanChildResult {
  /** Pods in the cluster (served), workloads written by people. */
  clusterPods: number;
  /** Peak RSS above the process's start (modules loaded): what the scan itself added. */
  scanRssMiB: number;
  /** evaluateMs ÷ (collectMs + evaluateMs): evaluation's share of the scan. */
  evaluateShare: number;
  /** Objects kept ÷ evaluation time. */
  objectsPerSecond: number;
}

export interface MemoryResult {
  points: MemoryPoint[];
  /** From the smallest size to the largest: how many times more pods, and how many times more scan memory. */
  podsGrowth: number;
  peakRssGrowth: number;
  scanRssGrowth: number;
  /** Marginal memory per pod between the two largest sizes, in KiB. */
  marginalKiBPerPod: number;
}

export async function memorySection(options: MemoryOptions): Promise<MemoryResult> {
  const points: MemoryPoint[] = [];
  for (const pods of options.sizes) {
    const services = await startServices({ clusters: [{ name: `memory-${pods}`, profile: { pods } }] });
    try {
      const cluster = services.ready.clusters[0];
      if (!cluster) throw new Error('no emulated cluster');
      const result = await runChild<ScanChildResult>('scan-child.ts', [JSON.stringify(cluster)]);
      points.push({
        ...result,
        clusterPods: cluster.pods,
        scanRssMiB: result.peakRssMiB - result.startRssMiB,
        evaluateShare: round(result.evaluateMs / (result.collectMs + result.evaluateMs), 2),
        objectsPerSecond: Math.round(result.objects / (result.evaluateMs / 1000)),
      });
    } finally {
      await services.stop();
    }
  }
  const first = points[0];
  const last = points.at(-1);
  const before = points.at(-2);
  if (!first || !last) throw new Error('memorySection needs at least one size');
  return {
    points,
    podsGrowth: round(last.clusterPods / first.clusterPods, 1),
    peakRssGrowth: round(last.peakRssMiB / first.peakRssMiB, 2),
    scanRssGrowth: round(last.scanRssMiB / Math.max(1, first.scanRssMiB), 1),
    marginalKiBPerPod:
      before && before !== last ? round(((last.peakRssMiB - before.peakRssMiB) * 1024) / (last.clusterPods - before.clusterPods), 2) : 0,
  };
}

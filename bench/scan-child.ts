// One scan in a fresh process, for its peak memory: collect from an emulated cluster, evaluate, reconcile against
// an empty store (the first scan, the biggest). Reports the kernel's high-water mark (VmHWM) over IPC.
import { reconcile } from '../shared/store/reconcile.ts';
import { peakRssMiB } from './children.ts';
import { collect, evaluate, objectCount } from './scan.ts';
import type { ServedCluster } from './services.ts';

export interface ScanChildResult {
  objects: number;
  pods: number;
  findings: number;
  /** Peak RSS after the modules were loaded, before the scan. */
  startRssMiB: number;
  peakRssMiB: number;
  heapUsedMiB: number;
  collectMs: number;
  evaluateMs: number;
}

const cluster = JSON.parse(process.argv[2] ?? '{}') as ServedCluster;
try {
  const startRssMiB = await peakRssMiB();
  const collectStart = performance.now();
  const snapshot = await collect(cluster);
  const collectMs = performance.now() - collectStart;
  const evaluateStart = performance.now();
  const { findings } = evaluate(snapshot);
  const evaluateMs = performance.now() - evaluateStart;
  const reconciliation = reconcile([], findings, snapshot.coverage, { scannedAt: snapshot.takenAt });
  const result: ScanChildResult = {
    objects: objectCount(snapshot),
    pods: snapshot.objects.Pod?.length ?? 0,
    findings: reconciliation.opened.length + reconciliation.suppressed.length,
    startRssMiB,
    peakRssMiB: await peakRssMiB(),
    heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    collectMs: Math.round(collectMs),
    evaluateMs: Math.round(evaluateMs),
  };
  process.send?.({ type: 'result', result });
} catch (error) {
  process.send?.({ type: 'error', error: error instanceof Error ? error.stack : String(error) });
}
process.disconnect?.();

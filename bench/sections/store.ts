// DynamoDB: write requests (and time) for recording a first scan of N open findings, an unchanged rescan, and a
// rescan where 1% changed, through the real FindingStore and SDK client on dynalite, counted by SDK middleware.
import { openLocalStore } from '../../shared/store/local.ts';
import type { Finding } from '../../shared/model/finding.ts';
import type { KubeObject } from '../../shared/model/kube.ts';
import type { KindCoverage, Snapshot } from '../../shared/model/snapshot.ts';
import { syntheticObjects } from '../../shared/sandbox/synthetic/cluster.ts';
import { evaluate } from '../scan.ts';

export interface StoreOptions {
  findings: number;
}

export interface StoreScan {
  label: string;
  findings: number;
  /** Write requests (BatchWriteItem, PutItem, UpdateItem, DeleteItem) made by recordScan. */
  writeRequests: number;
  /** What the store itself reports (ScanOutcome.writeRequests). */
  reportedWriteRequests: number;
  /** The lease taken before the scan (one conditional write). */
  leaseWrites: number;
  opened: number;
  resolved: number;
  unchanged: number;
  ms: number;
}

export interface StoreResult {
  scans: StoreScan[];
}

const writeCommands = new Set(['BatchWriteItemCommand', 'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand']);

/** A snapshot straight from the generator (no emulator): enough to get the engine's real findings. */
function snapshotOf(pods: number, takenAt: string): Snapshot {
  const objects: Record<string, KubeObject[]> = {};
  for (const object of syntheticObjects({ pods })) (objects[String(object.kind)] ??= []).push(object);
  const coverage: Record<string, KindCoverage> = {};
  for (const [kind, list] of Object.entries(objects)) coverage[kind] = { complete: true, count: list.length };
  return { cluster: { id: 'bench-store', name: 'bench-store', source: 'eks' }, objects, coverage, takenAt };
}

/** At least `wanted` of the engine's findings on a synthetic cluster, growing the cluster until there are. */
function findingsOf(wanted: number, takenAt: string): { findings: Finding[]; coverage: Record<string, KindCoverage> } {
  for (let pods = Math.max(200, wanted * 2); ; pods *= 2) {
    const snapshot = snapshotOf(pods, takenAt);
    const { findings } = evaluate(snapshot);
    if (findings.length >= wanted) return { findings: findings.slice(0, wanted), coverage: snapshot.coverage };
  }
}

export async function storeSection(options: StoreOptions): Promise<StoreResult> {
  const local = await openLocalStore();
  let writes = 0;
  local.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (writeCommands.has(context.commandName ?? '')) writes += 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchCountWrites' },
  );
  try {
    const cluster = { id: 'bench-store', name: 'bench-store', source: 'eks' as const };
    const scans: StoreScan[] = [];
    const record = async (label: string, findings: readonly Finding[], coverage: Record<string, KindCoverage>, scannedAt: string) => {
      writes = 0;
      const lease = await local.store.acquireLease(cluster.id);
      const leaseWrites = writes;
      writes = 0;
      const started = performance.now();
      const outcome = await local.store.recordScan({ lease, cluster, findings, coverage, scannedAt, startedAt: scannedAt });
      scans.push({
        label,
        findings: findings.length,
        writeRequests: writes,
        reportedWriteRequests: outcome.writeRequests,
        leaseWrites,
        opened: outcome.reconciliation.opened.length,
        resolved: outcome.reconciliation.resolved.length,
        unchanged: outcome.reconciliation.unchanged.length,
        ms: Math.round(performance.now() - started),
      });
    };
    const first = findingsOf(options.findings, '2026-01-01T00:00:00.000Z');
    await record('first scan', first.findings, first.coverage, '2026-01-01T00:00:00.000Z');
    const again = (at: string) => first.findings.map((finding) => ({ ...finding, firstSeenAt: at, lastSeenAt: at }));
    await record('unchanged rescan', again('2026-01-01T06:00:00.000Z'), first.coverage, '2026-01-01T06:00:00.000Z');
    // 1% changed: the last 1% resolved, as many new ones opened (the same findings under other fingerprints).
    const changed = Math.max(1, Math.floor(options.findings / 100));
    const at = '2026-01-01T12:00:00.000Z';
    const kept = again(at).slice(0, options.findings - changed);
    const fresh = again(at)
      .slice(0, changed)
      .map((finding) => ({ ...finding, fingerprint: `${finding.fingerprint}-new` }));
    await record('rescan, 1% changed', [...kept, ...fresh], first.coverage, at);
    return { scans };
  } finally {
    await local.close();
  }
}

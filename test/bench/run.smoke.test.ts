// The benchmark at tiny sizes, so it never rots: every section runs end to end and returns well-formed figures.
// No timing is asserted (timings belong in BENCHMARKS.md, not in tests).
import { describe, expect, it } from 'vitest';
import { plans, runBench, sectionNames } from '../../bench/run.ts';
import { toMarkdown } from '../../bench/report.ts';
import { syntheticCounts, syntheticObjects } from '../../shared/sandbox/synthetic/cluster.ts';

const positive = (value: number) => expect(value).toBeGreaterThan(0);

describe('the synthetic cluster generator', () => {
  it('lands exactly on the pods asked for, with every kind of workload, owners and misconfigurations', () => {
    const counts = syntheticCounts({ pods: 600 });
    expect(counts.pods).toBe(600);
    for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'Service', 'Role', 'RoleBinding', 'ClusterRole', 'NetworkPolicy', 'Namespace', 'Node', 'Secret', 'ConfigMap']) {
      expect(counts.byKind[kind], kind).toBeGreaterThan(0);
    }
    expect(counts.misconfiguredWorkloads).toBeGreaterThan(0);
    expect(counts.misconfiguredWorkloads).toBeLessThan(counts.workloads);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const names = (seed: number) => [...syntheticObjects({ pods: 200, seed })].map((o) => `${String(o.kind)}/${JSON.stringify(o.metadata)}`);
    expect(names(7)).toEqual(names(7));
    expect(names(7)).not.toEqual(names(8));
  });

  it('gives every owned pod an owner that exists, with its uid', () => {
    const objects = [...syntheticObjects({ pods: 300 })];
    const uids = new Set(objects.map((o) => (o.metadata as { uid: string }).uid));
    const owned = objects.filter((o) => o.kind === 'Pod' && (o.metadata as { ownerReferences?: unknown[] }).ownerReferences);
    expect(owned.length).toBeGreaterThan(250);
    for (const pod of owned) {
      for (const owner of (pod.metadata as { ownerReferences: { uid: string }[] }).ownerReferences) expect(uids.has(owner.uid)).toBe(true);
    }
  });
});

describe('npm run bench, at tiny sizes', () => {
  it('runs every section and reports well-formed figures', { timeout: 120_000 }, async () => {
    const report = await runBench(
      {
        ...plans.quick,
        engine: [{ pods: 300, rounds: 1 }],
        e2e: { pods: 300, rounds: 1, latencyMs: 0, remote: { pods: 100, latencyMs: 1, rounds: 1 } },
        memory: { sizes: [200, 400] },
        store: { findings: 60 },
        coldstart: { runs: 1 },
        fleet: { clusters: 3, concurrency: 2, latencyMs: 1 },
        manifests: { cases: [{ format: 'yaml', pods: 150 }, { format: 'json', pods: 300 }] },
        audit: { events: 400, perPayload: 100, rounds: 1 },
        'audit-latency': { runs: 1, burst: { events: 60, batchSize: 20 } },
        'fleet-views': { clusters: 3, findingsPerCluster: 10 },
      },
      sectionNames.filter((name) => name !== 'coldstart'),
    );
    const { engine, e2e, memory, store, fleet, manifests } = report.sections;

    const views = report.sections.fleetViews;
    expect(views?.clusters).toBe(3);
    positive(views?.findings ?? 0);
    expect(views?.reads[0]).toMatchObject({ rows: 3, requests: { QueryCommand: expect.any(Number) } });
    for (const read of views?.reads ?? []) expect(Object.keys(read.requests)).toEqual(['QueryCommand']);

    const [small] = engine ?? [];
    expect(small?.pods).toBe(300);
    positive(small?.evaluated ?? 0);
    expect(small?.evaluated).toBeLessThan(small?.objects ?? 0);
    positive(small?.findings ?? 0);
    positive(small?.ratio ?? 0);

    expect(e2e?.pods).toBe(300);
    positive(e2e?.pages ?? 0);
    positive(e2e?.ratio ?? 0);
    expect(e2e?.findings).toBe(small?.findings);
    expect(e2e?.remote.identicalFindings).toBe(true);
    positive(e2e?.remote.speedup ?? 0);

    expect(memory?.points.map((p) => p.clusterPods)).toEqual([200, 400]);
    for (const point of memory?.points ?? []) {
      expect(point.peakRssMiB).toBeGreaterThanOrEqual(point.startRssMiB);
      positive(point.findings);
    }

    expect(store?.scans.map((s) => s.label)).toEqual(['first scan', 'unchanged rescan', 'rescan, 1% changed']);
    const [first, unchanged, changed] = store?.scans ?? [];
    expect(first?.opened).toBeGreaterThan(0);
    expect(first?.writeRequests).toBeGreaterThan(unchanged?.writeRequests ?? Infinity);
    expect(unchanged).toMatchObject({ opened: 0, resolved: 0, unchanged: 60 });
    expect(changed).toMatchObject({ opened: 1, resolved: 1 });

    expect(fleet?.rounds).toHaveLength(2);
    for (const round of fleet?.rounds ?? []) expect(round).toMatchObject({ scanned: 3, failed: 0 });
    expect(fleet?.rounds[0]?.findingsOpened).toBeGreaterThan(0);
    expect(fleet?.rounds[1]?.findingsOpened).toBe(0);
    const [firstRound, rescan] = fleet?.rounds ?? [];
    expect(firstRound?.writes.items).toBeGreaterThan(firstRound?.findingsOpened ?? Infinity);
    positive(firstRound?.writes.indexUnits['open-by-severity'] ?? 0);
    // Lease, scan record and the cluster item (which carries the inventory refresh); discovery is counted apart
    // and writes only the clusters it did not know.
    expect(firstRound?.discoverWriteRequests).toBe(3);
    expect(rescan?.writes.requestsPerCluster).toBe(3);
    expect(rescan?.discoverWriteRequests).toBe(0);
    expect(firstRound?.maxInFlight).toBe(2);

    expect(manifests?.cases.map((c) => [c.format, c.pods])).toEqual([['yaml', 150], ['json', 300]]);
    for (const manifestCase of manifests?.cases ?? []) {
      // Without --fail-on, findings do not change the exit code; an input error would (2).
      expect(manifestCase.exitCode).toBe(0);
      positive(manifestCase.objects);
      expect(manifestCase.peakRssMiB).toBeGreaterThanOrEqual(manifestCase.startRssMiB);
      positive(manifestCase.liveMs);
      positive(manifestCase.ratio);
    }

    const audit = report.sections['audit-latency'];
    expect(audit?.runs).toBe(1);
    expect(audit?.rescan.p50Ms).toBeGreaterThanOrEqual((audit?.windowSeconds ?? 0) * 1000);
    positive(audit?.detection.p50Ms ?? 0);
    // A burst is one scan request however it is batched; one window claim per batch, a batch write per 25 objects.
    expect(audit?.bursts.map((b) => [b.batches, b.scanRequests, b.writes.UpdateItem, b.writes.BatchWriteItem])).toEqual([
      [3, 1, 3, 3],
      [1, 1, 1, 3],
    ]);

    const markdown = toMarkdown(report);
    for (const heading of ['### Engine', '### End to end', '### Memory', '### DynamoDB writes', '### Fleet', '### Manifests', '### Live change stream']) expect(markdown).toContain(heading);
    expect(markdown).not.toMatch(/NaN|undefined/);
  });

  it('bundles a function the way the CDK construct does, and imports it', { timeout: 60_000 }, async () => {
    const { coldStartSection } = await import('../../bench/sections/coldstart.ts');
    const result = await coldStartSection({ runs: 1, functions: ['discover'] });
    expect(result.functions).toHaveLength(1);
    positive(result.functions[0]?.bundleKiB ?? 0);
    positive(result.functions[0]?.importMs ?? 0);
    positive(result.emptyStartMs);
  });
});

// The write requests scanCluster and discover make, counted on the real FindingStore over dynalite through the real
// SDK client: an unchanged cluster costs discovery nothing and its rescan the lease, the scan record and the cluster item.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../../shared/pipeline/discover.ts';
import { ScanFailedError, scanCluster, type ScanDeps } from '../../shared/pipeline/scan-cluster.ts';
import { newStore, startDynalite, type Backend, type TestStore } from '../store/harness.ts';
import { cluster, clusterSnapshot, harness } from './harness.ts';

const targets = [{ accountId: cluster.accountId, region: cluster.region }];

let backend: Backend;
beforeAll(async () => {
  backend = await startDynalite();
});
afterAll(async () => {
  await backend?.stop();
});

async function wired() {
  const t = await newStore(backend);
  const h = harness();
  const deps = { ...h.deps, store: t.store };
  h.directory.put({ ...cluster, status: 'ACTIVE', version: '1.33', endpointPublicAccess: true });
  h.source.snapshots.set(cluster.arn, clusterSnapshot(true));
  return { t, h, deps };
}

/** Discovery, then the scan it asked for; the writes of each. */
async function round(t: TestStore, h: ReturnType<typeof harness>, deps: ScanDeps & Parameters<typeof discover>[1]) {
  t.resetWrites();
  await discover(targets, deps);
  const discovery = t.totalWrites();
  const queued = h.queue.take();
  if (!queued) throw new Error('discovery enqueued nothing');
  t.resetWrites();
  const result = await scanCluster(queued.request, deps);
  return { discovery, scan: t.totalWrites(), byCommand: Object.fromEntries(t.writes), result };
}

describe('scanCluster and discover write requests (dynalite, real SDK)', () => {
  it('an unchanged rescan writes 3 items (lease, scan record, cluster item) and its discovery none', async () => {
    const { t, h, deps } = await wired();
    const first = await round(t, h, deps);
    expect(first.result).toMatchObject({ outcome: 'scanned', opened: 1 });
    // A new cluster: discovery's inventory item; the scan's lease, one batch of findings, scan record, cluster item.
    expect(first.discovery).toBe(1);
    expect(first.scan).toBe(4);

    h.clock.advance(3600);
    const rescan = await round(t, h, deps);
    expect(rescan.result).toMatchObject({ outcome: 'scanned', opened: 0, resolved: 0, open: 1 });
    expect(rescan.discovery).toBe(0);
    expect(rescan.scan).toBe(3);
    expect(rescan.byCommand).toEqual({ UpdateItemCommand: 2, PutItemCommand: 1 });

    // What the inventory refresh before the snapshot used to write is in the scan's cluster-item write.
    expect(await t.store.getCluster(cluster.arn)).toMatchObject({
      name: cluster.name, arn: cluster.arn, accountId: cluster.accountId, region: cluster.region, source: 'eks',
      status: 'ACTIVE', version: '1.33', endpointPublicAccess: true, deleted: false,
      seenAt: '2026-11-23T11:00:00.000Z', lastScanResult: 'succeeded', lastScanId: 'scan-2',
    });
    t.close();
  });

  it('a first scan without discovery records the inventory item in its cluster-item write', async () => {
    const { t, h, deps } = await wired();
    t.resetWrites();
    await scanCluster(
      { clusterArn: cluster.arn, region: cluster.region, accountId: cluster.accountId, reason: 'cluster-event', requestedAt: h.clock.now().toISOString(), attempt: 0 },
      deps,
    );
    expect(t.totalWrites()).toBe(4);
    expect(await t.store.clusters()).toEqual([
      expect.objectContaining({ clusterId: cluster.arn, name: cluster.name, status: 'ACTIVE', version: '1.33', seenAt: '2026-11-23T10:00:00.000Z', deleted: false }),
    ]);
    t.close();
  });

  it('a failed scan leaves the description in the inventory, in 3 writes (lease, scan record, cluster item)', async () => {
    const { t, h, deps } = await wired();
    h.source.failures.set(cluster.arn, new Error('listing pods: HTTP 500'));
    t.resetWrites();
    const failed = scanCluster(
      { clusterArn: cluster.arn, region: cluster.region, accountId: cluster.accountId, reason: 'manual', requestedAt: h.clock.now().toISOString(), attempt: 0 },
      deps,
    );
    await expect(failed).rejects.toThrow(ScanFailedError);
    expect(t.totalWrites()).toBe(3);
    expect(await t.store.clusters()).toEqual([
      expect.objectContaining({
        clusterId: cluster.arn, status: 'ACTIVE', version: '1.33', endpointPublicAccess: true, seenAt: '2026-11-23T10:00:00.000Z',
        lastScanResult: 'failed', lastScanError: 'listing pods: HTTP 500', deleted: false,
      }),
    ]);
    t.close();
  });

  it('discovery writes a known cluster again only when what it knows changed (marked deleted, listed again)', async () => {
    const { t, h, deps } = await wired();
    await round(t, h, deps);
    await t.store.markClusterDeleted(cluster.arn, '2026-11-23T10:30:00.000Z');
    h.clock.advance(3600);
    t.resetWrites();
    await discover(targets, deps);
    expect(t.totalWrites()).toBe(1);
    const record = await t.store.getCluster(cluster.arn);
    expect(record).toMatchObject({ deleted: false, lastScanId: 'scan-1' });
    expect(record?.deletedAt).toBeUndefined();
    t.resetWrites();
    await discover(targets, deps);
    expect(t.totalWrites()).toBe(0);
    t.close();
  });
});

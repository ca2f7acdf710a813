import { describe, expect, it } from 'vitest';
import { DiscoveryError, discover } from '../../shared/pipeline/discover.ts';
import { scanCluster } from '../../shared/pipeline/scan-cluster.ts';
import { cluster, clusterSnapshot, harness } from './harness.ts';

const other = { ...cluster, name: 'batch', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/batch' };
const remote = {
  name: 'edge',
  arn: 'arn:aws:eks:us-east-1:444455556666:cluster/edge',
  region: 'us-east-1',
  accountId: '444455556666',
};
const targets = [
  { accountId: '111122223333', region: 'eu-west-1' },
  { accountId: '444455556666', region: 'us-east-1', roleArn: 'arn:aws:iam::444455556666:role/PeriscopeRead' },
];

describe('discover', () => {
  it('upserts every cluster of every target and enqueues one ScanRequest each', async () => {
    const h = harness();
    for (const c of [cluster, other, remote]) h.directory.put({ ...c, status: 'ACTIVE' });
    const result = await discover(targets, h.deps);
    expect(result).toMatchObject({ found: 3, enqueued: 3, deleted: 0 });
    expect(h.queue.sent.map((s) => s.request.clusterArn).sort()).toEqual([other.arn, cluster.arn, remote.arn].sort());
    expect(h.queue.sent.every((s) => s.request.reason === 'schedule' && s.request.attempt === 0)).toBe(true);
    expect(h.store.inventory.get(remote.arn)).toMatchObject({ deleted: false, accountId: '444455556666' });
  });

  it('keeps what a scan learnt when it upserts a known cluster', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'ACTIVE', version: '1.33' });
    h.source.snapshots.set(cluster.arn, clusterSnapshot(false));
    await scanCluster({ clusterArn: cluster.arn, region: cluster.region, accountId: cluster.accountId, reason: 'manual', requestedAt: '2026-11-23T09:00:00.000Z', attempt: 0 }, h.deps);
    await discover(targets.slice(0, 1), h.deps);
    expect(h.store.inventory.get(cluster.arn)).toMatchObject({ status: 'ACTIVE', version: '1.33', lastScanId: 'scan-1' });
  });

  it('marks clusters gone from the listing as deleted and resolves their findings', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'ACTIVE' });
    h.source.snapshots.set(cluster.arn, clusterSnapshot(true));
    await discover(targets.slice(0, 1), h.deps);
    await scanCluster(h.queue.take()!.request, h.deps);
    h.directory.clusters.clear();
    h.clock.advance(86400);
    const result = await discover(targets.slice(0, 1), h.deps);
    expect(result).toMatchObject({ found: 0, deleted: 1 });
    expect(h.store.inventory.get(cluster.arn)).toMatchObject({ deleted: true });
    expect(h.publisher.ofType('Finding Resolved')[0]?.detail).toMatchObject({ reason: 'cluster deleted' });
  });

  it('a target that cannot be listed does not stop the others, deletes nothing, and fails the run at the end', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'ACTIVE' });
    await h.store.upsertCluster({ id: remote.arn, name: 'edge', arn: remote.arn, accountId: remote.accountId, region: remote.region, source: 'eks' });
    h.directory.failingTargets.add('444455556666/us-east-1');
    const error = await discover(targets, h.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscoveryError);
    expect(String(error)).toMatch(/444455556666\/us-east-1: AccessDenied.*trusts the scanner role/);
    expect(h.queue.sent).toHaveLength(1);
    expect(h.store.inventory.get(remote.arn)?.deleted).toBeFalsy();
  });
});

import { describe, expect, it } from 'vitest';
import { scanRequestSchema } from '../../shared/model/pipeline.ts';
import { eksCloudTrailEventSchema } from '../../shared/pipeline/cloudtrail.ts';
import { handleClusterEvent } from '../../shared/pipeline/cluster-events.ts';
import { scanCluster } from '../../shared/pipeline/scan-cluster.ts';
import { cluster, clusterSnapshot, harness } from './harness.ts';
import { sample } from './samples.ts';

const event = (name: string) => eksCloudTrailEventSchema.parse(sample(name));

describe('handleClusterEvent', () => {
  it('CreateCluster → one valid ScanRequest, timed at the event', async () => {
    const h = harness();
    const result = await handleClusterEvent(event('eks-create-cluster.json'), h.deps);
    expect(result.outcome).toBe('enqueued');
    expect(h.queue.sent).toHaveLength(1);
    const request = scanRequestSchema.parse(h.queue.sent[0]?.request);
    expect(request).toEqual({
      clusterArn: cluster.arn,
      region: 'eu-west-1',
      accountId: '111122223333',
      reason: 'cluster-event',
      trigger: 'CreateCluster 3f8c1a52-9d7e-4b1a-8c2f-6e5d4a3b2c10',
      requestedAt: '2026-11-23T10:00:00.000Z',
      attempt: 0,
    });
  });

  it('the same event delivered twice yields one scan', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'ACTIVE' });
    h.source.snapshots.set(cluster.arn, clusterSnapshot(true));
    h.clock.advance(30);
    await handleClusterEvent(event('eks-update-cluster-config.json'), h.deps);
    await handleClusterEvent(event('eks-update-cluster-config.json'), h.deps);
    h.clock.advance(4 * 3600);
    const outcomes = [];
    for (let next = h.queue.take(); next; next = h.queue.take()) outcomes.push((await scanCluster(next.request, h.deps)).outcome);
    expect(outcomes).toEqual(['scanned', 'duplicate']);
  });

  it('DeleteCluster marks the inventory deleted and resolves open findings with "cluster deleted"', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'ACTIVE' });
    h.source.snapshots.set(cluster.arn, clusterSnapshot(true));
    await scanCluster(
      { clusterArn: cluster.arn, region: cluster.region, accountId: cluster.accountId, reason: 'manual', requestedAt: '2026-11-23T09:00:00.000Z', attempt: 0 },
      h.deps,
    );
    const result = await handleClusterEvent(event('eks-delete-cluster.json'), h.deps);
    expect(result).toEqual({ outcome: 'deleted', clusterArn: cluster.arn, resolved: 1 });
    expect(h.store.inventory.get(cluster.arn)).toMatchObject({ deleted: true, deletedAt: '2026-11-23T18:00:00.000Z' });
    expect([...h.store.findings.get(cluster.arn)!.values()].every((f) => f.status === 'RESOLVED')).toBe(true);
    const resolved = h.publisher.ofType('Finding Resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.detail).toMatchObject({ reason: 'cluster deleted', finding: { status: 'RESOLVED' } });
    expect(h.queue.sent).toHaveLength(0);

    // A redelivered DeleteCluster finds nothing left to resolve.
    const again = await handleClusterEvent(event('eks-delete-cluster.json'), h.deps);
    expect(again).toMatchObject({ resolved: 0 });
    expect(h.publisher.ofType('Finding Resolved')).toHaveLength(1);
  });

  it('a failed call is logged and ignored', async () => {
    const h = harness();
    const result = await handleClusterEvent(event('eks-failed-update.json'), h.deps);
    expect(result).toMatchObject({ outcome: 'ignored' });
    expect(h.queue.sent).toHaveLength(0);
    expect(h.logger.lines[0]).toMatchObject({ message: 'event ignored', attributes: { eventName: 'UpdateClusterConfig' } });
  });

  it("the scanner's own access entry does not trigger a scan", async () => {
    const h = harness();
    const deps = { ...h.deps, ownPrincipalArn: 'arn:aws:iam::111122223333:role/ci-deployer' };
    expect((await handleClusterEvent(event('eks-create-access-entry.json'), deps)).outcome).toBe('ignored');
    expect((await handleClusterEvent(event('eks-associate-access-policy.json'), deps)).outcome).toBe('ignored');
  });
});

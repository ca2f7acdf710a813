import { describe, expect, it } from 'vitest';
import type { ScanRequest } from '../../shared/model/pipeline.ts';
import { scanRequestSchema } from '../../shared/model/pipeline.ts';
import { ScanFailedError, defaultScanSettings, scanCluster } from '../../shared/pipeline/scan-cluster.ts';
import { cluster, clusterSnapshot, harness } from './harness.ts';

function request(overrides: Partial<ScanRequest> = {}): ScanRequest {
  return scanRequestSchema.parse({
    clusterArn: cluster.arn,
    region: cluster.region,
    accountId: cluster.accountId,
    reason: 'cluster-event',
    requestedAt: '2026-11-23T10:00:00.000Z',
    attempt: 0,
    ...overrides,
  });
}

describe('scanCluster', () => {
  it('scans an ACTIVE cluster: findings reconciled, events published, lease released, inventory updated', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'ACTIVE', version: '1.33', endpointPublicAccess: true });
    h.source.snapshots.set(cluster.arn, clusterSnapshot(true));
    h.clock.advance(5);

    const result = await scanCluster(request(), h.deps);

    expect(result).toMatchObject({ outcome: 'scanned', scanId: 'scan-1', opened: 1, resolved: 0, open: 1 });
    const opened = h.publisher.ofType('Finding Opened');
    expect(opened).toHaveLength(1);
    expect(opened[0]?.detail).toMatchObject({ scanId: 'scan-1', finding: { ruleId: 'privileged-container', clusterId: cluster.arn } });
    const completed = h.publisher.ofType('Scan Completed')[0]?.detail;
    expect(completed).toMatchObject({ baseline: true, counts: { opened: 1, open: { high: 0, critical: 1 } } });
    expect(h.store.leases.size).toBe(0);
    expect(h.store.inventory.get(cluster.arn)).toMatchObject({
      status: 'ACTIVE',
      version: '1.33',
      lastScanId: 'scan-1',
      committedScanAt: '2026-11-23T10:00:05.000Z',
    });
    expect(h.store.scans).toHaveLength(1);
    expect(h.metrics.counts.get('ScansCompleted')).toBe(1);
    expect(h.source.calls).toEqual([{ arn: cluster.arn, skipSecrets: false }]);
  });

  it('a second scan after the fix resolves the finding and publishes Finding Resolved', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'ACTIVE' });
    h.source.snapshots.set(cluster.arn, clusterSnapshot(true));
    await scanCluster(request(), h.deps);
    h.clock.advance(600);
    h.source.snapshots.set(cluster.arn, clusterSnapshot(false));
    const result = await scanCluster(request({ requestedAt: h.clock.now().toISOString(), reason: 'schedule' }), h.deps);
    expect(result).toMatchObject({ outcome: 'scanned', opened: 0, resolved: 1, open: 0 });
    expect(h.publisher.ofType('Finding Resolved')).toHaveLength(1);
    expect(h.publisher.ofType('Scan Completed')[1]?.detail).toMatchObject({ baseline: false });
  });

  it('duplicate delivery of one request yields one scan', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'ACTIVE' });
    h.source.snapshots.set(cluster.arn, clusterSnapshot(true));
    h.clock.advance(1);
    await scanCluster(request(), h.deps);
    h.clock.advance(30);
    const again = await scanCluster(request(), h.deps);
    expect(again.outcome).toBe('duplicate');
    expect(h.source.calls).toHaveLength(1);
    expect(h.publisher.ofType('Scan Completed')).toHaveLength(1);
  });

  it('a request made after the last scan started is not a duplicate', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'ACTIVE' });
    h.source.snapshots.set(cluster.arn, clusterSnapshot(true));
    await scanCluster(request(), h.deps);
    h.clock.advance(60);
    const later = await scanCluster(request({ requestedAt: h.clock.now().toISOString() }), h.deps);
    expect(later.outcome).toBe('scanned');
    expect(h.source.calls).toHaveLength(2);
  });

  it('a duplicate arriving during the scan waits for the lease, then finds its request answered', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'ACTIVE' });
    h.source.snapshots.set(cluster.arn, clusterSnapshot(true));
    const concurrent: Promise<unknown>[] = [];
    h.source.onSnapshot = () => {
      h.source.onSnapshot = undefined;
      concurrent.push(scanCluster(request(), h.deps));
    };
    h.clock.advance(1);
    expect(await scanCluster(request(), h.deps)).toMatchObject({ outcome: 'scanned' });
    // Depending on when it reaches the lease, the duplicate is re-enqueued behind it or sees the committed scan.
    const first = (await concurrent[0]) as { outcome: string };
    expect(['requeued', 'duplicate']).toContain(first.outcome);
    h.clock.advance(60);
    for (let next = h.queue.take(); next; next = h.queue.take()) {
      expect(await scanCluster(next.request, h.deps)).toMatchObject({ outcome: 'duplicate' });
    }
    expect(h.publisher.ofType('Scan Completed')).toHaveLength(1);
    expect(h.source.calls).toHaveLength(1);
  });

  it('a crashed scan does not block the cluster once its lease expires', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'ACTIVE' });
    h.source.snapshots.set(cluster.arn, clusterSnapshot(true));
    await h.store.tryAcquireLease(cluster.arn, 'crashed-scan', 60_000);
    expect(await scanCluster(request(), h.deps)).toMatchObject({ outcome: 'requeued', status: 'lease-held' });
    h.clock.advance(61);
    expect(await scanCluster(request(), h.deps)).toMatchObject({ outcome: 'scanned' });
  });

  it('re-enqueues a CREATING cluster with a growing delay, then scans once ACTIVE', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'CREATING' });
    h.source.snapshots.set(cluster.arn, clusterSnapshot(true));

    const first = await scanCluster(request(), h.deps);
    expect(first).toEqual({ outcome: 'requeued', status: 'CREATING', delaySeconds: 60, attempt: 1 });
    const next = h.queue.take();
    expect(next?.request).toMatchObject({ attempt: 1, requestedAt: '2026-11-23T10:00:00.000Z', notBefore: '2026-11-23T10:01:00.000Z' });

    h.clock.advance(60);
    const second = await scanCluster(next!.request, h.deps);
    expect(second).toMatchObject({ outcome: 'requeued', delaySeconds: 120, attempt: 2 });

    h.clock.advance(120);
    h.directory.put({ ...cluster, status: 'ACTIVE' });
    const third = await scanCluster(h.queue.take()!.request, h.deps);
    expect(third.outcome).toBe('scanned');
    expect(h.source.calls).toHaveLength(1);
  });

  it('caps the delay at the SQS maximum of 900 s', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'UPDATING' });
    h.clock.advance(60);
    const result = await scanCluster(request({ attempt: 6 }), h.deps);
    expect(result).toMatchObject({ outcome: 'requeued', delaySeconds: 900 });
  });

  it('a message that arrives before notBefore waits for the remainder', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'CREATING' });
    const result = await scanCluster(request({ notBefore: '2026-11-23T10:20:00.000Z' }), h.deps);
    expect(result).toMatchObject({ outcome: 'requeued', status: 'not-before', delaySeconds: 900 });
    expect(h.directory.describes).toBe(0);
  });

  it('gives up after the configured wait: failure recorded, error thrown for the DLQ', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'CREATING' });
    h.clock.advance(44 * 60);
    const settings = { ...defaultScanSettings, maxWaitSeconds: 45 * 60 };
    await expect(scanCluster(request({ attempt: 5 }), h.deps, settings)).rejects.toThrow(/still CREATING after 44 min \(limit 45 min\)/);
    expect(h.store.failures).toHaveLength(1);
    expect(h.metrics.counts.get('ScanErrors')).toBe(1);
    expect(h.queue.sent).toHaveLength(0);
  });

  it('a cluster that no longer exists is marked deleted and its findings resolved', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'ACTIVE' });
    h.source.snapshots.set(cluster.arn, clusterSnapshot(true));
    await scanCluster(request(), h.deps);
    h.directory.clusters.clear();
    h.clock.advance(3600);
    const result = await scanCluster(request({ requestedAt: h.clock.now().toISOString() }), h.deps);
    expect(result).toEqual({ outcome: 'cluster-gone', resolved: 1 });
    expect(h.store.inventory.get(cluster.arn)).toMatchObject({ deleted: true });
    expect(h.publisher.ofType('Finding Resolved')[0]?.detail).toMatchObject({ reason: 'cluster deleted' });
  });

  it('a cluster deleted during the scan ends cleanly', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'ACTIVE' });
    h.source.failures.set(cluster.arn, new Error('getaddrinfo ENOTFOUND abc.gr7.eu-west-1.eks.amazonaws.com'));
    h.source.onSnapshot = () => h.directory.put({ ...cluster, status: 'DELETING' });
    const result = await scanCluster(request(), h.deps);
    expect(result).toMatchObject({ outcome: 'cluster-gone' });
    expect(h.store.failures).toHaveLength(0);
    expect(h.store.leases.size).toBe(0);
  });

  it('a failed scan records its error on the inventory, releases the lease and rethrows', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'ACTIVE' });
    h.source.failures.set(cluster.arn, new Error('Unauthorized: the scanner role has no access entry'));
    const error = await scanCluster(request(), h.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScanFailedError);
    expect(String(error)).toContain(cluster.arn);
    expect(h.store.inventory.get(cluster.arn)?.lastScanError).toContain('no access entry');
    expect(h.store.leases.size).toBe(0);
    expect(h.publisher.events).toHaveLength(0);
  });

  it('does not scan FAILED or DELETING clusters', async () => {
    const h = harness();
    h.directory.put({ ...cluster, status: 'FAILED' });
    expect(await scanCluster(request(), h.deps)).toEqual({ outcome: 'not-scannable', status: 'FAILED' });
    expect(h.source.calls).toHaveLength(0);
  });

  it('strict mode skips secrets; auto-enrol creates the access entry before the first scan only', async () => {
    const h = harness();
    const enrolled: string[] = [];
    const deps = { ...h.deps, enroller: { enrol: async (c: { arn: string }) => void enrolled.push(c.arn) } };
    h.directory.put({ ...cluster, status: 'ACTIVE' });
    h.source.snapshots.set(cluster.arn, clusterSnapshot(false));
    const settings = { ...defaultScanSettings, skipSecrets: true, autoEnrol: true };
    await scanCluster(request(), deps, settings);
    h.clock.advance(60);
    await scanCluster(request({ requestedAt: h.clock.now().toISOString() }), deps, settings);
    expect(enrolled).toEqual([cluster.arn]);
    expect(h.source.calls.every((c) => c.skipSecrets)).toBe(true);
  });

  it('refuses a request that names no cluster ARN', async () => {
    const h = harness();
    const bad = { ...request(), clusterArn: 'arn:aws:eks:eu-west-1:111122223333:nodegroup/x' };
    await expect(scanCluster(bad, h.deps)).rejects.toThrow(/does not name an EKS cluster ARN/);
  });
});

// The outbox: a scan whose events could not be put on the bus after it was recorded keeps them with its scan record,
// and the retry of the same request publishes them (same ids) instead of stopping as a duplicate. The real
// FindingStore on dynalite, the real EventBridge publisher against the local receiver, whose first PutEvents fails.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scanRequestSchema, type ScanRequest } from '../../shared/model/pipeline.ts';
import { EventBridgePublisher } from '../../shared/notify/eventbridge.ts';
import { ScanFailedError, scanCluster } from '../../shared/pipeline/scan-cluster.ts';
import { startAwsReceiver, type AwsReceiver } from '../../shared/sandbox/aws-receiver.ts';
import { newStore, startDynalite, type Backend } from '../store/harness.ts';
import { cluster, clusterSnapshot, harness } from './harness.ts';

let backend: Backend;
let receiver: AwsReceiver;
beforeAll(async () => {
  [backend, receiver] = await Promise.all([startDynalite(), startAwsReceiver()]);
});
afterAll(async () => {
  await Promise.allSettled([backend?.stop(), receiver?.stop()]);
});
beforeEach(() => {
  receiver.events.length = 0;
});

async function wired() {
  const t = await newStore(backend);
  const h = harness();
  const client = new EventBridgeClient({ region: cluster.region, endpoint: receiver.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const publisher = new EventBridgePublisher({ busName: 'periscope', client, retries: 0 });
  h.directory.put({ ...cluster, status: 'ACTIVE', version: '1.33' });
  return { t, h, deps: { ...h.deps, store: t.store, publisher } };
}

const request = (requestedAt: string): ScanRequest =>
  scanRequestSchema.parse({ clusterArn: cluster.arn, region: cluster.region, accountId: cluster.accountId, reason: 'schedule', requestedAt, attempt: 0 });

const published = () => receiver.events.map((e) => [e.detailType, (e.detail as { eventId?: string }).eventId]);

describe('scanCluster publishes through an outbox on the scan record (dynalite, EventBridge receiver)', () => {
  it('a retry after a failed PutEvents publishes the recorded scan\'s Finding Resolved and Scan Completed, once', async () => {
    const { t, h, deps } = await wired();
    h.source.snapshots.set(cluster.arn, clusterSnapshot(true));
    await scanCluster(request(h.clock.now().toISOString()), deps);
    expect(receiver.events.map((e) => e.detailType)).toEqual(['Finding Opened', 'Scan Completed']);
    receiver.events.length = 0;

    // The fix is deployed; the rescan is recorded, then the bus refuses its events.
    h.clock.advance(600);
    h.source.snapshots.set(cluster.arn, clusterSnapshot(false));
    const fixed = request(h.clock.now().toISOString());
    receiver.failPutEvents(1);
    await expect(scanCluster(fixed, deps)).rejects.toThrow(ScanFailedError);
    expect(receiver.events).toEqual([]);
    expect(await t.store.findings(cluster.arn, { status: 'open' })).toEqual([]);
    expect((await t.store.getCluster(cluster.arn))?.outbox).toMatchObject({ scanId: 'scan-2' });

    // SQS delivers the request again: it is answered by scan-2, whose events are published now.
    h.clock.advance(60);
    const retry = await scanCluster(fixed, deps);
    expect(retry).toMatchObject({ outcome: 'duplicate', reason: expect.stringContaining('2 pending event(s) were published') });
    expect(h.source.calls).toHaveLength(2);
    expect(published()).toEqual([
      ['Finding Resolved', expect.stringMatching(/^scan-2\/finding-resolved\/[0-9a-f]{32}$/)],
      ['Scan Completed', 'scan-2/scan-completed'],
    ]);
    expect(receiver.events[0]?.detail).toMatchObject({ scanId: 'scan-2', finding: { ruleId: 'privileged-container', status: 'RESOLVED' } });
    expect(receiver.events[1]?.detail).toMatchObject({ scanId: 'scan-2', counts: { resolved: 1 }, baseline: false });
    expect((await t.store.getCluster(cluster.arn))?.outbox).toBeUndefined();

    // A third delivery finds nothing pending: nothing is published twice.
    const again = await scanCluster(fixed, deps);
    expect(again.outcome).toBe('duplicate');
    expect(receiver.events).toHaveLength(2);
    t.close();
  });

  it('a new scan publishes a pending outbox before its own events, and fails (keeping it) while the bus still refuses', async () => {
    const { t, h, deps } = await wired();
    h.source.snapshots.set(cluster.arn, clusterSnapshot(true));
    receiver.failPutEvents(1);
    await expect(scanCluster(request(h.clock.now().toISOString()), deps)).rejects.toThrow(/kept for the retry/);

    // The retry went to the DLQ; a later scheduled scan is the next request. The bus still refuses once.
    h.clock.advance(3600);
    receiver.failPutEvents(1);
    const later = request(h.clock.now().toISOString());
    await expect(scanCluster(later, deps)).rejects.toThrow(/events of scan scan-1 not published/);
    expect(h.source.calls).toHaveLength(1);

    const result = await scanCluster(later, deps);
    expect(result).toMatchObject({ outcome: 'scanned', scanId: 'scan-2' });
    expect(published()).toEqual([
      ['Finding Opened', expect.stringMatching(/^scan-1\/finding-opened\//)],
      ['Scan Completed', 'scan-1/scan-completed'],
      ['Scan Completed', 'scan-2/scan-completed'],
    ]);
    expect((await t.store.getCluster(cluster.arn))?.outbox).toBeUndefined();
    t.close();
  });

  it('keeps a large scan\'s events across several outbox items, in order', async () => {
    const { t } = await wired();
    const lease = await t.store.acquireLease(cluster.arn, 'big');
    const events = Array.from({ length: 40 }, (_, i) => ({ n: i, blob: 'x'.repeat(20_000) }));
    await t.store.recordScan({
      lease, cluster: { id: cluster.arn, name: cluster.name, source: 'eks' }, findings: [], coverage: {},
      scannedAt: '2026-11-23T10:00:00.000Z', scanId: 'big-1', outbox: () => events,
    });
    expect((await t.store.getCluster(cluster.arn))?.outbox).toMatchObject({ scanId: 'big-1', parts: 2 });
    expect(await t.store.pendingEvents(cluster.arn)).toEqual({ scanId: 'big-1', events });
    await t.store.markEventsPublished(cluster.arn, 'other-scan');
    expect(await t.store.pendingEvents(cluster.arn)).toBeDefined();
    await t.store.markEventsPublished(cluster.arn, 'big-1');
    expect(await t.store.pendingEvents(cluster.arn)).toBeUndefined();
    t.close();
  });
});

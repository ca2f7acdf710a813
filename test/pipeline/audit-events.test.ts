// handleAuditPayload on real-shaped CloudWatch Logs payloads (gzip + base64), with the real store (dynalite through
// the SDK) for the inventory, the debounce window, the causes and the event findings; queue and bus are fakes.
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventDetailTypes, type FindingEvent } from '../../shared/model/pipeline.ts';
import { handleAuditPayload, type AuditEventsDeps } from '../../shared/pipeline/audit-events.ts';
import { alice, auditEvent, privilegedPod, subscriptionData } from '../../shared/sandbox/demo/audit-log.ts';
import { AuditStreamStore } from '../../shared/store/audit-stream.ts';
import { documentClientOf } from '../../shared/store/finding-store.ts';
import { newStore, startDynalite, type Backend, type TestStore } from '../store/harness.ts';
import { CapturedPublisher, CountingMetrics, FakeClock, FakeQueue, RecordingLogger } from './fakes.ts';

const account = '111122223333';
const clusterName = 'payments-prod';
const clusterArn = `arn:aws:eks:eu-west-1:${account}:cluster/${clusterName}`;
const payload = (events: readonly unknown[], firstId = 1) => subscriptionData(events, { clusterName, accountId: account, firstId });

let backend: Backend;
let t: TestStore;
let audit: AuditStreamStore;
let deps: AuditEventsDeps & { queue: FakeQueue; publisher: CapturedPublisher; logger: RecordingLogger; metrics: CountingMetrics; clock: FakeClock };

beforeAll(async () => {
  backend = await startDynalite();
});
afterAll(async () => {
  t?.close();
  await backend.stop();
});
beforeEach(async () => {
  t?.close();
  t = await newStore(backend);
  await t.store.upsertCluster({ id: clusterArn, name: clusterName, arn: clusterArn, accountId: account, region: 'eu-west-1', source: 'eks' });
  t.resetWrites();
  audit = new AuditStreamStore({ client: documentClientOf(t.client), tableName: t.tableName });
  deps = {
    store: t.store,
    audit,
    queue: new FakeQueue(),
    publisher: new CapturedPublisher(),
    clock: new FakeClock('2026-12-02T10:02:00.000Z'),
    logger: new RecordingLogger(),
    metrics: new CountingMetrics(),
    region: 'eu-west-1',
    rescanWindowSeconds: 60,
  };
});

const applyPod = (name = 'debug-shell', at = new Date('2026-12-02T10:02:00.000Z')) =>
  auditEvent({ verb: 'create', resource: 'pods', namespace: 'ops', name, requestObject: privilegedPod('ops', name), at });
const execInto = (name = 'debug-shell', at = new Date('2026-12-02T10:02:30.000Z')) =>
  auditEvent({ verb: 'create', resource: 'pods', namespace: 'ops', name, subresource: 'exec', at });

describe('handleAuditPayload: targeted rescans', () => {
  it('requests a rescan of the cluster, delivered at the end of the window, and keeps who made the change', async () => {
    const result = await handleAuditPayload(payload([applyPod()]), deps);
    expect(result).toMatchObject({ outcome: 'processed', clusterArn, events: 1, relevant: 1, rescan: 'requested' });
    expect(deps.queue.sent).toHaveLength(1);
    const [sent] = deps.queue.sent;
    expect(sent?.delaySeconds).toBe(60);
    expect(sent?.request).toMatchObject({
      clusterArn,
      accountId: account,
      region: 'eu-west-1',
      reason: 'cluster-event',
      requestedAt: '2026-12-02T10:02:00.000Z',
      notBefore: '2026-12-02T10:03:00.000Z',
      attempt: 0,
    });
    const causes = await deps.audit.causes(clusterArn);
    expect(causes.get('Pod/ops/debug-shell')).toEqual([
      expect.objectContaining({ username: alice.username, verb: 'create', userAgent: alice.userAgent, sourceIPs: alice.sourceIPs }),
    ]);
  });

  it('turns a burst of 500 events in a rollout into one scan, however the batches arrive', async () => {
    const rollout = [
      auditEvent({ verb: 'patch', resource: 'deployments', apiGroup: 'apps', namespace: 'shop', name: 'web' }),
      ...Array.from({ length: 499 }, (_, i) =>
        auditEvent({ verb: 'create', resource: 'pods', namespace: 'shop', name: `web-7d9f-${i}`, username: 'system:serviceaccount:kube-system:replicaset-controller' }),
      ),
    ];
    const batches = Array.from({ length: 10 }, (_, b) => payload(rollout.slice(b * 50, b * 50 + 50), b * 50 + 1));
    // Ten Lambdas at once (CloudWatch Logs invokes concurrently), then the same again a few seconds later.
    const results = await Promise.all(batches.map((data) => handleAuditPayload(data, deps)));
    deps.clock.advance(5);
    await Promise.all(batches.map((data) => handleAuditPayload(data, deps)));
    expect(deps.queue.sent).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'processed' && r.rescan === 'requested')).toHaveLength(1);
    expect(deps.metrics.counts.get('AuditRescansDebounced')).toBe(19);
    // Per delivery of the burst: one conditional write per batch, one batch write per 25 changed objects.
    expect(t.writes.get('UpdateItemCommand')).toBe(20);
    expect(t.writes.get('BatchWriteItemCommand')).toBe(40);
  });

  it('opens the next window, and requests the next scan, once the window has ended', async () => {
    await handleAuditPayload(payload([applyPod('a')]), deps);
    deps.clock.advance(59);
    await handleAuditPayload(payload([applyPod('b')], 2), deps);
    expect(deps.queue.sent).toHaveLength(1);
    deps.clock.advance(1);
    await handleAuditPayload(payload([applyPod('c')], 3), deps);
    expect(deps.queue.sent).toHaveLength(2);
  });

  it('takes the window from the configuration, capped at SQS’s 900 s', async () => {
    deps.rescanWindowSeconds = 5;
    await handleAuditPayload(payload([applyPod()]), deps);
    expect(deps.queue.sent[0]?.delaySeconds).toBe(5);
  });

  it('requests nothing for reads and for status updates', async () => {
    const reads = [
      auditEvent({ verb: 'get', resource: 'pods', namespace: 'ops', name: 'x' }),
      auditEvent({ verb: 'list', resource: 'deployments', apiGroup: 'apps', namespace: 'ops' }),
      auditEvent({ verb: 'patch', resource: 'pods', namespace: 'ops', name: 'x', subresource: 'status', username: 'system:node:ip-10-0-1-2' }),
    ];
    const result = await handleAuditPayload(payload(reads), deps);
    expect(result).toMatchObject({ outcome: 'processed', relevant: 0, rescan: 'none' });
    expect(deps.queue.sent).toHaveLength(0);
    expect(t.totalWrites()).toBe(0);
  });

  it('gives the window back when the scan cannot be queued, so the retried batch requests it', async () => {
    const queue = deps.queue;
    deps.queue = Object.assign(new FakeQueue(), {
      send: () => Promise.reject(new Error('SQS unavailable')),
    });
    await expect(handleAuditPayload(payload([applyPod()]), deps)).rejects.toThrow('SQS unavailable');
    deps.queue = queue;
    await handleAuditPayload(payload([applyPod()]), deps);
    expect(queue.sent).toHaveLength(1);
  });
});

describe('handleAuditPayload: event detections', () => {
  it('opens an exec into a pod as a finding with its cause, announced once; a replayed batch opens nothing', async () => {
    const data = payload([applyPod(), execInto()]);
    const first = await handleAuditPayload(data, deps);
    expect(first).toMatchObject({ outcome: 'processed', opened: 1 });
    const opened = deps.publisher.ofType(eventDetailTypes.findingOpened);
    expect(opened).toHaveLength(1);
    const { finding, cluster, scanId } = opened[0]!.detail as FindingEvent;
    expect(finding).toMatchObject({ ruleId: 'audit-pod-exec', clusterId: clusterArn, status: 'OPEN', resource: { kind: 'Pod', namespace: 'ops', name: 'debug-shell' } });
    expect(finding.cause).toEqual([expect.objectContaining({ username: alice.username, objectRef: expect.objectContaining({ subresource: 'exec' }) })]);
    // One place for the cause: moved out of the details, the detection's other facts kept.
    expect(finding.details).toEqual({ subresource: 'exec' });
    expect(cluster).toMatchObject({ id: clusterArn, name: clusterName, accountId: account, region: 'eu-west-1' });
    expect(scanId).toMatch(/^audit:kube-apiserver-audit-/);

    const replay = await handleAuditPayload(data, deps);
    expect(replay).toMatchObject({ outcome: 'processed', opened: 0 });
    expect(deps.publisher.ofType(eventDetailTypes.findingOpened)).toHaveLength(1);
    expect(await audit.eventFindings(clusterArn)).toHaveLength(1);
  });

  it('unstores findings it could not announce, so the retried batch opens and announces them', async () => {
    const publisher = deps.publisher;
    deps.publisher = Object.assign(new CapturedPublisher(), { publish: () => Promise.reject(new Error('EventBridge unavailable')) });
    await expect(handleAuditPayload(payload([execInto()]), deps)).rejects.toThrow('EventBridge unavailable');
    expect(await audit.eventFindings(clusterArn)).toHaveLength(0);
    deps.publisher = publisher;
    await handleAuditPayload(payload([execInto()]), deps);
    expect(publisher.ofType(eventDetailTypes.findingOpened)).toHaveLength(1);
  });
});

describe('handleAuditPayload: bad input is a log line and a metric, never a crashed batch', () => {
  const messages = (level: string) => deps.logger.lines.filter((l) => l.level === level).map((l) => l.message);

  it('rejects a truncated gzip payload with one error line', async () => {
    const whole = Buffer.from(payload([applyPod()]), 'base64');
    const truncated = whole.subarray(0, whole.length - 20).toString('base64');
    const padded = truncated.padEnd(Math.ceil(truncated.length / 4) * 4, '=');
    const result = await handleAuditPayload(padded, deps);
    expect(result).toMatchObject({ outcome: 'rejected' });
    expect(messages('error')).toEqual(['audit log batch rejected: the payload cannot be read']);
    expect(deps.logger.lines[0]?.attributes).toMatchObject({ reason: 'gzip' });
    expect(deps.metrics.counts.get('AuditBatchesRejected')).toBe(1);
    expect(deps.queue.sent).toHaveLength(0);
  });

  it('rejects a payload that is not a subscription payload', async () => {
    const result = await handleAuditPayload(gzipSync(Buffer.from('{"hello":"world"}')).toString('base64'), deps);
    expect(result).toMatchObject({ outcome: 'rejected' });
    expect(deps.logger.lines[0]?.attributes).toMatchObject({ reason: 'shape' });
  });

  it('skips lines that are not audit events, in one line naming where they are, and goes on with the rest', async () => {
    const apiServerLine = 'I1202 10:02:00.123456      11 httplog.go:132] "HTTP" verb="GET" URI="/healthz" latency="1.2ms"';
    const result = await handleAuditPayload(payload([apiServerLine, applyPod(), { kind: 'Event', apiVersion: 'audit.k8s.io/v1' }]), deps);
    expect(result).toMatchObject({ outcome: 'processed', events: 1, rejectedLines: 2, rescan: 'requested' });
    const warned = deps.logger.lines.filter((l) => l.level === 'warn');
    expect(warned).toHaveLength(1);
    expect(warned[0]?.attributes).toMatchObject({ count: 2, first: [expect.stringMatching(/^log event 1 \(id 0+1, stream kube-apiserver-audit-/), expect.stringMatching(/^log event 3 /)] });
    expect(deps.metrics.counts.get('AuditLinesRejected')).toBe(2);
  });

  it('ignores, with a log line and a metric, events of a cluster the inventory does not know', async () => {
    const data = subscriptionData([applyPod()], { clusterName: 'shadow-cluster', accountId: account });
    const result = await handleAuditPayload(data, deps);
    expect(result).toMatchObject({ outcome: 'ignored' });
    expect(messages('warn')).toEqual(['audit events for a cluster Periscope does not know (run discovery, or check the subscription filter)']);
    expect(deps.metrics.counts.get('AuditEventsUnknownCluster')).toBe(1);
    expect(deps.queue.sent).toHaveLength(0);
    expect(t.totalWrites()).toBe(0);
  });

  it('ignores a log group that is not an EKS cluster’s', async () => {
    const decoded = JSON.parse(gunzipSync(Buffer.from(payload([applyPod()]), 'base64')).toString('utf8')) as Record<string, unknown>;
    const other = gzipSync(Buffer.from(JSON.stringify({ ...decoded, logGroup: '/aws/lambda/something' }))).toString('base64');
    expect(await handleAuditPayload(other, deps)).toMatchObject({ outcome: 'ignored' });
    expect(deps.metrics.counts.get('AuditEventsUnknownCluster')).toBe(1);
  });

  it('never logs a request body: the pod’s password appears in no log line', async () => {
    await handleAuditPayload(payload([applyPod(), execInto(), 'not json {"DB_PASSWORD":"hunter2-do-not-log"}']), deps);
    await handleAuditPayload(subscriptionData([applyPod()], { clusterName: 'unknown', accountId: account }), deps);
    expect(deps.logger.lines.length).toBeGreaterThan(2);
    expect(JSON.stringify(deps.logger.lines)).not.toContain('hunter2');
  });

  it('answers a CloudWatch Logs control message with nothing', async () => {
    const control = gzipSync(
      Buffer.from(JSON.stringify({ messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logGroup: '', logStream: '', subscriptionFilters: [], logEvents: [] })),
    ).toString('base64');
    expect(await handleAuditPayload(control, deps)).toMatchObject({ outcome: 'ignored' });
  });
});

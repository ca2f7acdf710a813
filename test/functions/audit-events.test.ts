// The audit-events handler in process, as Lambda invokes it: from a CloudWatch Logs subscription (`awslogs.data`) and
// from the member accounts' Kinesis stream (each record's data is the same payload), against dynalite and a captured
// SQS/EventBridge. A bad record never fails the batch; the stream's records are answered with partial failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alice, auditEvent, subscriptionData } from '../../shared/sandbox/demo/audit-log.ts';
import { lambdaContext, localAccountId, localClusterArn, localClusterName, localRegion, startLocalPipeline, type LocalPipeline } from '../../shared/sandbox/local-pipeline.ts';

let local: LocalPipeline;
let handler: (event: unknown, context: unknown) => Promise<unknown>;
const envBefore = { ...process.env };

beforeAll(async () => {
  local = await startLocalPipeline();
  Object.assign(process.env, local.env, { RESCAN_WINDOW_SECONDS: '30', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' });
  await local.store.store.upsertCluster({ id: localClusterArn, name: localClusterName, arn: localClusterArn, accountId: localAccountId, region: localRegion, source: 'eks' });
  handler = (await import('../../functions/audit-events.ts')).handler as unknown as typeof handler;
}, 30_000);

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in envBefore)) delete process.env[key];
  Object.assign(process.env, envBefore);
  await local?.stop();
});

const change = (name: string) => auditEvent({ verb: 'create', resource: 'pods', namespace: 'ops', name, at: new Date() });
const payload = (events: unknown[], firstId = 1) => subscriptionData(events, { clusterName: localClusterName, accountId: localAccountId, firstId });

function kinesisRecord(data: string, sequenceNumber: string) {
  return {
    kinesis: { kinesisSchemaVersion: '1.0', partitionKey: 'p', sequenceNumber, data, approximateArrivalTimestamp: Date.now() / 1000 },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: `arn:aws:iam::${localAccountId}:role/audit-events`,
    awsRegion: localRegion,
    eventSourceARN: `arn:aws:kinesis:${localRegion}:${localAccountId}:stream/periscope-audit`,
  };
}

describe('audit-events handler', () => {
  it('requests one rescan from a subscription batch, with the configured window as the SQS delay', async () => {
    const result = await handler({ awslogs: { data: payload([change('a'), { kind: 'NotAnEvent' }]) } }, lambdaContext('periscope-audit-events'));
    expect(result).toMatchObject({ outcome: 'processed', clusterArn: localClusterArn, events: 1, rejectedLines: 1, rescan: 'requested' });
    expect(local.receiver.messages).toHaveLength(1);
    expect(local.receiver.messages[0]?.delaySeconds).toBe(30);
    expect(JSON.parse(local.receiver.messages[0]!.body)).toMatchObject({ clusterArn: localClusterArn, reason: 'cluster-event' });
  });

  it('reads the stream’s records, skips a truncated one without failing the batch, and debounces within the window', async () => {
    const good = payload([change('b'), auditEvent({ verb: 'create', resource: 'pods', namespace: 'ops', name: 'b', subresource: 'exec', username: alice.username })], 5);
    const whole = Buffer.from(payload([change('c')], 9), 'base64');
    const truncated = whole.subarray(0, whole.length - 8).toString('base64');
    const response = await handler({ Records: [kinesisRecord(truncated.padEnd(Math.ceil(truncated.length / 4) * 4, '='), '1'), kinesisRecord(good, '2')] }, lambdaContext('periscope-audit-events'));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(local.receiver.messages).toHaveLength(1);
    const opened = local.receiver.events.filter((e) => e.detailType === 'Finding Opened');
    expect(opened.map((e) => (e.detail as { finding: { ruleId: string } }).finding.ruleId)).toEqual(['audit-pod-exec']);
  });
});

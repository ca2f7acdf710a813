import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/model/cross-cutting.ts';
import { findingSchema } from '../../shared/model/finding.ts';
import { eventDetailTypes, type PeriscopeEvent } from '../../shared/model/pipeline.ts';
import {
  EventBridgePublisher,
  EventPublishError,
  batchEntries,
  entrySize,
  maxBytesPerCall,
} from '../../shared/notify/eventbridge.ts';
import { cluster } from '../pipeline/harness.ts';

const finding = findingSchema.parse({
  fingerprint: 'a'.repeat(32),
  clusterId: cluster.arn,
  ruleId: 'privileged-container',
  severity: 'critical',
  resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'api', container: 'app' },
  message: 'Container app runs privileged',
  path: 'spec.template.spec.containers[0].securityContext.privileged',
  frameworks: { 'owasp-k8s-2022': ['K01'] },
  status: 'OPEN',
  firstSeenAt: '2026-11-23T10:00:00.000Z',
  lastSeenAt: '2026-11-23T10:00:00.000Z',
  contentHash: 'b'.repeat(16),
});

function opened(details?: Record<string, unknown>): PeriscopeEvent {
  return {
    detailType: eventDetailTypes.findingOpened,
    detail: { cluster: { id: cluster.arn, name: cluster.name, arn: cluster.arn }, scanId: 's1', finding: details ? { ...finding, details } : finding },
  };
}

const entry = (bytes: number): PutEventsRequestEntry => ({ Source: 'periscope', DetailType: 'x', Detail: 'y'.repeat(bytes) });

describe('batchEntries', () => {
  it('never puts more than 10 entries or 256 KB in one call, and keeps order', () => {
    const entries = [...Array.from({ length: 23 }, () => entry(100)), entry(200_000), entry(100_000), entry(10)];
    const batches = batchEntries(entries);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 4, 2]);
    for (const batch of batches) expect(batch.reduce((n, e) => n + entrySize(e), 0)).toBeLessThanOrEqual(maxBytesPerCall);
    expect(batches.flat()).toEqual(entries);
  });

  it('counts multi-byte characters as bytes', () => {
    expect(entrySize({ Source: 'periscope', DetailType: 'é', Detail: '€', Time: new Date() })).toBe(14 + 9 + 2 + 3);
  });
});

describe('EventBridgePublisher', () => {
  it('puts events on the bus in batches with source periscope and the cluster as resource', async () => {
    const mock = mockClient(EventBridgeClient);
    mock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const publisher = new EventBridgePublisher({ busName: 'periscope', client: new EventBridgeClient({ region: 'eu-west-1' }) });
    await publisher.publish(Array.from({ length: 12 }, () => opened()));
    const calls = mock.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 2]);
    const first = calls[0]!.args[0].input.Entries![0]!;
    expect(first).toMatchObject({ EventBusName: 'periscope', Source: 'periscope', DetailType: 'Finding Opened', Resources: [cluster.arn] });
    expect(JSON.parse(first.Detail!)).toMatchObject({ finding: { fingerprint: finding.fingerprint } });
  });

  it('retries only the entries that failed, then reports what could not be put', async () => {
    const mock = mockClient(EventBridgeClient);
    mock
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: '1' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }] })
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'oops' }] });
    const publisher = new EventBridgePublisher({ busName: 'periscope', client: new EventBridgeClient({ region: 'eu-west-1' }), retries: 1 });
    const error = await publisher.publish([opened(), opened()]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventPublishError);
    expect(String(error)).toMatch(/1 event\(s\) could not be put on bus periscope .*InternalFailure/);
    expect(mock.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([2, 1]);
  });

  it('drops bulky details from a finding event that would exceed 256 KB', async () => {
    const mock = mockClient(EventBridgeClient);
    mock.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    const warnings: string[] = [];
    const publisher = new EventBridgePublisher({
      busName: 'periscope',
      client: new EventBridgeClient({ region: 'eu-west-1' }),
      logger: { ...silentLogger, warn: (m) => void warnings.push(m) },
    });
    await publisher.publish([opened({ hops: 'x'.repeat(300_000) })]);
    const sent = mock.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!;
    expect(entrySize(sent)).toBeLessThanOrEqual(maxBytesPerCall);
    expect(JSON.parse(sent.Detail!).finding.details).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });
});

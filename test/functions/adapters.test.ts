// The AWS adapters of functions/: SQS batching, configuration.
import { SQSClient, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { SqsScanQueue } from '../../functions/adapters/sqs-queue.ts';
import { readPipelineConfig } from '../../functions/environment.ts';
import type { ScanRequest } from '../../shared/model/pipeline.ts';
import { defaultScanSettings } from '../../shared/pipeline/scan-cluster.ts';

const account = '111122223333';
const region = 'eu-west-1';
const request = (n: number): ScanRequest => ({
  clusterArn: `arn:aws:eks:${region}:${account}:cluster/c${n}`,
  region,
  accountId: account,
  reason: 'schedule',
  requestedAt: '2026-11-23T10:00:00.000Z',
  attempt: 0,
});

describe('SqsScanQueue', () => {
  it('caps delays at 900 s and sends batches of at most 10, resending only failed entries', async () => {
    const mock = mockClient(SQSClient);
    mock.on(SendMessageCommand).resolves({});
    mock
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Successful: [], Failed: [{ Id: '3', Code: 'InternalError', SenderFault: false }] })
      .resolves({ Successful: [], Failed: [] });
    const queue = new SqsScanQueue(new SQSClient({ region }), 'https://sqs.eu-west-1.amazonaws.com/111122223333/q');
    await queue.send(request(0), 3600);
    expect(mock.commandCalls(SendMessageCommand)[0]?.args[0].input.DelaySeconds).toBe(900);
    await queue.sendBatch(Array.from({ length: 23 }, (_, i) => request(i)));
    expect(mock.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([10, 1, 10, 3]);
  });

  it('says which requests could not be queued after retries', async () => {
    const mock = mockClient(SQSClient);
    mock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'KmsDisabled', SenderFault: true, Message: 'key disabled' }] });
    const queue = new SqsScanQueue(new SQSClient({ region }), 'https://sqs/q');
    await expect(queue.sendBatch([request(0)])).rejects.toThrow(/1 scan request\(s\) could not be queued on https:\/\/sqs\/q \(KmsDisabled: key disabled\)/);
  });
});

describe('readPipelineConfig', () => {
  const base = { TABLE_NAME: 't', QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q', BUS_NAME: 'b' };

  it('reads the settings the construct sets', () => {
    const config = readPipelineConfig('scan', {
      ...base,
      DISCOVERY_TARGETS: JSON.stringify([{ accountId: account, region }]),
      STRICT: 'true',
      MAX_WAIT_SECONDS: '600',
      LEASE_TTL_SECONDS: '660',
    });
    expect(config).toMatchObject({ targets: [{ accountId: account, region }], scan: { skipSecrets: true, autoEnrol: false, maxWaitSeconds: 600, leaseTtlMs: 660_000 } });
  });

  it('gives the functions that read no scan settings the scan defaults and no targets', () => {
    expect(readPipelineConfig('cluster-events', { ...base, DISCOVERY_TARGETS: JSON.stringify([{ accountId: account, region }]), STRICT: 'true' })).toEqual({
      tableName: 't',
      queueUrl: base.QUEUE_URL,
      busName: 'b',
      targets: [],
      scan: defaultScanSettings,
    });
    expect(readPipelineConfig('discover', { ...base, DISCOVERY_TARGETS: JSON.stringify([{ accountId: account, region }]) }).targets).toEqual([{ accountId: account, region }]);
  });

  it('names what is missing or malformed', () => {
    expect(() => readPipelineConfig('scan', { QUEUE_URL: 'nope', BUS_NAME: 'b', DISCOVERY_TARGETS: '[{"accountId":"x"}]' })).toThrow(
      /TABLE_NAME: .*QUEUE_URL: .*DISCOVERY_TARGETS: not a JSON list/,
    );
  });
});

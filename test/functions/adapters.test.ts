// The AWS adapters of functions/: SQS batching, EKS against the fake EKS API, auto-enrolment, configuration.
import { AssociateAccessPolicyCommand, CreateAccessEntryCommand, EKSClient, ResourceInUseException } from '@aws-sdk/client-eks';
import { SQSClient, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EksAccessEnroller } from '../../functions/adapters/access-enroller.ts';
import { EksClusterDirectory, type AwsAccess } from '../../functions/adapters/eks-directory.ts';
import { SqsScanQueue } from '../../functions/adapters/sqs-queue.ts';
import { readPipelineConfig } from '../../functions/environment.ts';
import type { ScanRequest } from '../../shared/model/pipeline.ts';
import { silentLogger } from '../../shared/model/cross-cutting.ts';
import { defaultScanSettings } from '../../shared/pipeline/scan-cluster.ts';
import { startFakeEks, type FakeEks } from '../../shared/sandbox/fake-eks/index.ts';

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

describe('EksClusterDirectory against the fake EKS API', () => {
  let eks: FakeEks;
  let directory: EksClusterDirectory;

  beforeAll(async () => {
    eks = await startFakeEks({
      region,
      accountId: account,
      pageSize: 2,
      clusters: [{ name: 'a', status: 'CREATING' }, { name: 'b' }, { name: 'c', version: '1.30' }],
    });
    const client = new EKSClient({ region, endpoint: eks.url, credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } });
    const access: AwsAccess = { credentials: () => undefined, eks: () => client };
    directory = new EksClusterDirectory(access);
  });
  afterAll(async () => eks?.stop());

  it('lists every page', async () => {
    const clusters = await directory.list({ accountId: account, region });
    expect(clusters.map((c) => c.arn)).toEqual(['a', 'b', 'c'].map((n) => `arn:aws:eks:${region}:${account}:cluster/${n}`));
  });

  it('describes status and version, and a missing cluster as undefined', async () => {
    const where = { name: 'a', arn: `arn:aws:eks:${region}:${account}:cluster/a`, region, accountId: account };
    expect(await directory.describe(where)).toMatchObject({ status: 'CREATING' });
    expect(await directory.describe({ ...where, name: 'c' })).toMatchObject({ status: 'ACTIVE', version: '1.30' });
    expect(await directory.describe({ ...where, name: 'gone' })).toBeUndefined();
  });
});

describe('EksAccessEnroller', () => {
  const principalArn = `arn:aws:iam::${account}:role/periscope-scanner`;
  const cluster = { name: 'payments-prod', arn: `arn:aws:eks:${region}:${account}:cluster/payments-prod`, region, accountId: account };

  it('creates the entry (an existing one is fine) and associates AdminView at cluster scope', async () => {
    const mock = mockClient(EKSClient);
    mock.on(CreateAccessEntryCommand).rejects(new ResourceInUseException({ message: 'exists', $metadata: {} }));
    mock.on(AssociateAccessPolicyCommand).resolves({});
    const enroller = new EksAccessEnroller({ eks: () => new EKSClient({ region }), principalArn, logger: silentLogger });
    await enroller.enrol(cluster);
    expect(mock.commandCalls(AssociateAccessPolicyCommand)[0]?.args[0].input).toEqual({
      clusterName: 'payments-prod',
      principalArn,
      policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy',
      accessScope: { type: 'cluster' },
    });
  });

  it('leaves clusters of other accounts alone', async () => {
    const mock = mockClient(EKSClient);
    const enroller = new EksAccessEnroller({ eks: () => new EKSClient({ region }), principalArn, logger: silentLogger });
    await enroller.enrol({ ...cluster, accountId: '444455556666' });
    expect(mock.calls()).toHaveLength(0);
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

// End to end, in process: the real handlers (middy, Powertools, zod), the real adapters and SDK clients, against
// the fake EKS API, the Kubernetes API emulator, dynalite and a captured SQS/EventBridge.
import { readFileSync } from 'node:fs';
import { createServer, request as forwardRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanRequest } from '../../shared/model/pipeline.ts';
import {
  lambdaContext,
  localClusterArn,
  localClusterName,
  sqsEventOf,
  startLocalPipeline,
  type LocalPipeline,
} from '../../shared/sandbox/local-pipeline.ts';
import { eventsDir } from '../pipeline/samples.ts';

let local: LocalPipeline;
let handlers: {
  clusterEvents: (event: unknown, context: unknown) => Promise<unknown>;
  scan: (event: unknown, context: unknown) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
  discover: (event: unknown, context: unknown) => Promise<unknown>;
};

/** DynamoDB write operations the handlers sent, in order: a loopback proxy in front of dynalite counts them. */
const dynamoWrites: string[] = [];
let dynamoProxy: Server | undefined;

async function countingProxyTo(endpoint: string): Promise<string> {
  const upstream = new URL(endpoint);
  dynamoProxy = createServer((incoming, answer) => {
    const operation = /^DynamoDB_\d+\.(\w+)$/.exec(String(incoming.headers['x-amz-target'] ?? ''))?.[1] ?? '';
    if (/^(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)$/.test(operation)) dynamoWrites.push(operation);
    const forward = forwardRequest(
      { hostname: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
      (response) => {
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
      },
    );
    forward.on('error', (error) => answer.destroy(error));
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => dynamoProxy?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(dynamoProxy.address() as AddressInfo).port}`;
}

/** An events/ sample, happening now (the wait for ACTIVE is measured from the event's time). */
function sample(file: string): Record<string, unknown> {
  const event = JSON.parse(readFileSync(path.join(eventsDir, file), 'utf8')) as Record<string, unknown>;
  const now = new Date().toISOString();
  if (event.detail && typeof event.detail === 'object') Object.assign(event.detail, { eventTime: now });
  return { ...event, time: now };
}

beforeAll(async () => {
  local = await startLocalPipeline({ status: 'CREATING', pollDelaySeconds: 1 });
  Object.assign(process.env, local.env, {
    AWS_ENDPOINT_URL_DYNAMODB: await countingProxyTo(local.store.endpoint),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  handlers = {
    clusterEvents: (await import('../../functions/cluster-events.ts')).handler as never,
    scan: (await import('../../functions/scan.ts')).handler as never,
    discover: (await import('../../functions/discover.ts')).handler as never,
  };
});

afterAll(async () => {
  await local?.stop();
  await new Promise((resolve) => (dynamoProxy ? dynamoProxy.close(resolve) : resolve(undefined)));
});

async function scanNext(): Promise<{ request: ScanRequest; failures: string[] }> {
  const message = local.receiver.takeMessage();
  if (!message) throw new Error('no scan request on the queue');
  const event = sqsEventOf(message.body);
  const result = await handlers.scan(event, lambdaContext('periscope-scan'));
  return { request: JSON.parse(message.body) as ScanRequest, failures: result.batchItemFailures.map((f) => f.itemIdentifier) };
}

describe('pipeline end to end', () => {
  it('CreateCluster → scan waits while CREATING → ACTIVE → findings in dynalite and events on the bus', async () => {
    const result = await handlers.clusterEvents(sample('eks-create-cluster.json'), lambdaContext('periscope-cluster-events'));
    expect(result).toMatchObject({ outcome: 'enqueued', request: { clusterArn: localClusterArn } });
    expect(local.receiver.messages).toHaveLength(1);

    // Still CREATING: the request comes back with a delay and a higher attempt.
    const waiting = await scanNext();
    expect(waiting.failures).toEqual([]);
    expect(local.receiver.messages).toHaveLength(1);
    expect(local.receiver.messages[0]?.delaySeconds).toBe(1);
    expect(JSON.parse(local.receiver.messages[0]!.body)).toMatchObject({ attempt: 1, notBefore: expect.any(String) });
    expect(local.receiver.events).toHaveLength(0);

    local.eks.setClusterStatus(localClusterName, 'ACTIVE');
    const describedBefore = local.eks.calls.filter((call) => call === 'DescribeCluster').length;
    const scanned = await scanNext();
    expect(scanned.failures).toEqual([]);
    // One DescribeCluster per scan: the status check's description is the one the snapshot source connects with.
    expect(local.eks.calls.filter((call) => call === 'DescribeCluster').length - describedBefore).toBe(1);
    expect(local.receiver.messages).toHaveLength(0);

    const findings = await local.store.store.findings(localClusterArn, { status: 'open' });
    expect(findings.map((f) => f.ruleId)).toContain('privileged-container');
    expect(findings.every((f) => f.clusterId === localClusterArn)).toBe(true);

    const types = local.receiver.events.map((e) => e.detailType);
    expect(types.filter((t) => t === 'Finding Opened')).toHaveLength(findings.length);
    expect(types.at(-1)).toBe('Scan Completed');
    const completed = local.receiver.events.at(-1)!;
    expect(completed).toMatchObject({ busName: 'periscope', source: 'periscope', resources: [localClusterArn] });
    expect(completed.detail).toMatchObject({ baseline: true, counts: { opened: findings.length }, cluster: { name: localClusterName } });

    const inventory = await local.store.store.getCluster(localClusterArn);
    expect(inventory).toMatchObject({ status: 'ACTIVE', version: '1.33', lastScanResult: expect.stringMatching(/succeeded|partial/) });
  });

  it('the same request delivered again does not scan again', async () => {
    const before = local.receiver.events.length;
    const request: ScanRequest = {
      clusterArn: localClusterArn,
      region: 'eu-west-1',
      accountId: '111122223333',
      reason: 'cluster-event',
      requestedAt: new Date(Date.now() - 60_000).toISOString(),
      attempt: 0,
    };
    const result = await handlers.scan(sqsEventOf(JSON.stringify(request)), lambdaContext('periscope-scan'));
    expect(result.batchItemFailures).toEqual([]);
    expect(local.receiver.events.length).toBe(before);
  });

  it('a poison message is reported as a batch item failure (SQS retries, then the DLQ)', async () => {
    const result = await handlers.scan(sqsEventOf('{"clusterArn":"not an arn"}', 'poison-1'), lambdaContext('periscope-scan'));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'poison-1' }]);
  });

  it('discover lists the cluster and requests a scan', async () => {
    const result = await handlers.discover(sample('schedule-discover.json'), lambdaContext('periscope-discover'));
    expect(result).toMatchObject({ found: 1, enqueued: 1, deleted: 0 });
    expect(JSON.parse(local.receiver.takeMessage()!.body)).toMatchObject({ clusterArn: localClusterArn, reason: 'schedule' });
  });

  it('a scheduled round over the unchanged cluster: discovery writes nothing, the rescan 3 items with the lease', async () => {
    dynamoWrites.length = 0;
    await handlers.discover(sample('schedule-discover.json'), lambdaContext('periscope-discover'));
    expect(dynamoWrites).toEqual([]);
    const rescan = await scanNext();
    expect(rescan.failures).toEqual([]);
    expect(local.receiver.events.at(-1)?.detail).toMatchObject({ counts: { opened: 0, resolved: 0 } });
    // The lease, the scan record, the cluster item (with the inventory refresh): no finding is rewritten.
    expect(dynamoWrites).toEqual(['UpdateItem', 'PutItem', 'UpdateItem']);
  });

  it('DeleteCluster resolves the open findings with "cluster deleted" and marks the inventory', async () => {
    const open = await local.store.store.findings(localClusterArn, { status: 'open' });
    const result = await handlers.clusterEvents(sample('eks-delete-cluster.json'), lambdaContext('periscope-cluster-events'));
    expect(result).toMatchObject({ outcome: 'deleted', resolved: open.length });
    expect(await local.store.store.findings(localClusterArn, { status: 'open' })).toEqual([]);
    const resolved = local.receiver.events.filter((e) => e.detailType === 'Finding Resolved');
    expect(resolved).toHaveLength(open.length);
    expect(resolved[0]?.detail).toMatchObject({ reason: 'cluster deleted' });
    expect(await local.store.store.getCluster(localClusterArn)).toMatchObject({ deleted: true });
  });
});

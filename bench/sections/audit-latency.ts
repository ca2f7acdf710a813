// The live change stream (issue 13) in the local pipeline: how long from an audit event reaching the audit-events
// function to the `Finding Opened` event of the rescan it requests (and of the exec detection, which needs no rescan),
// with the real handlers against the Kubernetes API emulator, dynalite and the captured SQS/EventBridge. The debounce
// window is set to 1 s for the measurement and the bench waits out the SQS delay before delivering the request, as
// SQS would (in AWS the default window is 60 s: the rescan's Finding Opened then comes ≈ 60 s + this after the
// change). Then the write requests and scan requests a burst of 500 audit events (a rollout) costs.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { eventDetailTypes, type FindingEvent } from '../../shared/model/pipeline.ts';
import { handleAuditPayload } from '../../shared/pipeline/audit-events.ts';
import { alice, auditEvent, privilegedPod, subscriptionData } from '../../shared/sandbox/demo/audit-log.ts';
import { lambdaContext, localAccountId, localClusterArn, localClusterName, localRegion, sqsEventOf, startLocalPipeline } from '../../shared/sandbox/local-pipeline.ts';
import { DynamoPrincipalBaseline } from '../../shared/store/audit-baseline.ts';
import { AuditStreamStore } from '../../shared/store/audit-stream.ts';
import { documentClientOf, FindingStore } from '../../shared/store/finding-store.ts';
import { silentLogger, systemClock } from '../../shared/model/cross-cutting.ts';
import { median, percentile, round } from '../children.ts';

export interface AuditLatencyOptions {
  runs: number;
  burst: { events: number; batchSize: number };
}

export interface AuditBurst {
  label: string;
  events: number;
  batches: number;
  scanRequests: number;
  /** Write requests by DynamoDB operation. */
  writes: Record<string, number>;
  writeRequests: number;
  ms: number;
}

export interface AuditLatencyResult {
  runs: number;
  windowSeconds: number;
  /** Audit event in → the rescan's Finding Opened (window wait included). */
  rescan: { p50Ms: number; p95Ms: number; maxMs: number };
  /** The same, less the window wait: what the pipeline itself takes. */
  processing: { p50Ms: number; p95Ms: number };
  /** Audit event in → the exec detection's Finding Opened (no rescan). */
  detection: { p50Ms: number; p95Ms: number };
  bursts: AuditBurst[];
}

const windowSeconds = 1;
const writeCommands = new Set(['BatchWriteItemCommand', 'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand']);
type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const stats = (values: number[]) => ({ p50Ms: round(median(values)), p95Ms: round(percentile(values, 95)), maxMs: round(Math.max(...values)) });

export async function auditLatencySection(options: AuditLatencyOptions): Promise<AuditLatencyResult> {
  const local = await startLocalPipeline();
  const saved = { ...process.env };
  Object.assign(process.env, local.env, {
    AUDIT_STREAM: 'true',
    RESCAN_WINDOW_SECONDS: String(windowSeconds),
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  try {
    await local.store.store.upsertCluster({ id: localClusterArn, name: localClusterName, arn: localClusterArn, accountId: localAccountId, region: localRegion, source: 'eks' });
    const auditEvents = (await import('../../functions/audit-events.ts')).handler as unknown as Handler;
    const scan = (await import('../../functions/scan.ts')).handler as unknown as Handler;
    // A first scan, so the runs measure rescans (a baseline scan alerts nothing new).
    await scan(sqsEventOf(JSON.stringify({ clusterArn: localClusterArn, region: localRegion, accountId: localAccountId, reason: 'manual', requestedAt: new Date().toISOString(), attempt: 0 })), lambdaContext('scan'));

    const rescan: number[] = [];
    const processing: number[] = [];
    const detection: number[] = [];
    for (let run = 0; run < options.runs; run += 1) {
      const name = `bench-shell-${run}`;
      local.kube.apply(privilegedPod('ops', name));
      const now = new Date();
      const events = [
        auditEvent({ verb: 'create', resource: 'pods', namespace: 'ops', name, requestObject: privilegedPod('ops', name), at: now }),
        auditEvent({ verb: 'create', resource: 'pods', namespace: 'ops', name, subresource: 'exec', at: now }),
      ];
      const data = subscriptionData(events, { clusterName: localClusterName, accountId: localAccountId, firstId: run * 2 + 1 });
      const eventsBefore = local.receiver.events.length;
      const started = performance.now();
      await auditEvents({ awslogs: { data } }, lambdaContext('audit-events'));
      const opened = () => local.receiver.events.slice(eventsBefore).filter((e) => e.detailType === eventDetailTypes.findingOpened).map((e) => (e.detail as FindingEvent).finding);
      if (!opened().some((f) => f.ruleId === 'audit-pod-exec')) throw new Error(`run ${run}: the exec detection opened nothing`);
      detection.push(performance.now() - started);
      const message = local.receiver.takeMessage();
      if (!message) throw new Error(`run ${run}: audit-events requested no rescan`);
      const waitMs = message.delaySeconds * 1000;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      await scan(sqsEventOf(message.body), lambdaContext('scan'));
      const elapsed = performance.now() - started;
      if (!opened().some((f) => f.resource.name === name && f.ruleId === 'privileged-container' && f.cause)) throw new Error(`run ${run}: the rescan opened no privileged-container finding with a cause`);
      rescan.push(elapsed);
      processing.push(elapsed - waitMs);
      while (local.receiver.takeMessage()) {
        // A run leaves nothing queued for the next.
      }
    }
    const bursts = [
      await burst(local.store.endpoint, options.burst.events, options.burst.batchSize, `${options.burst.events} events in batches of ${options.burst.batchSize}`),
      await burst(local.store.endpoint, options.burst.events, options.burst.events, `${options.burst.events} events in one batch`),
    ];
    const { maxMs: _max, ...processed } = stats(processing);
    const { maxMs: _d, ...detected } = stats(detection);
    return { runs: options.runs, windowSeconds, rescan: stats(rescan), processing: processed, detection: detected, bursts };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await local.stop();
  }
}

/** A rollout: a person patches a Deployment, its controller creates the pods; the batches arrive at once. */
async function burst(endpoint: string, events: number, batchSize: number, label: string): Promise<AuditBurst> {
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const writes: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      if (writeCommands.has(command)) writes[command.replace(/Command$/, '')] = (writes[command.replace(/Command$/, '')] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'countWrites' },
  );
  const documents = documentClientOf(client);
  const tableName = 'periscope-local';
  const clusterArn = `arn:aws:eks:${localRegion}:${localAccountId}:cluster/${localClusterName}`;
  const sent: unknown[] = [];
  const deps = {
    store: new FindingStore({ client: documents, tableName }),
    audit: new AuditStreamStore({ client: documents, tableName }),
    baseline: new DynamoPrincipalBaseline({ client: documents, tableName }),
    queue: { send: async (request: unknown) => void sent.push(request), sendBatch: async () => undefined },
    publisher: { publish: async () => undefined },
    clock: systemClock,
    logger: silentLogger,
    metrics: { count: () => undefined },
    region: localRegion,
    rescanWindowSeconds: 60,
  };
  // A fresh window: the latency runs above left one open.
  await documents.send(new DeleteCommand({ TableName: tableName, Key: { PK: `CLUSTER#${clusterArn}`, SK: 'AUDIT#RESCAN' } }));
  for (const key of Object.keys(writes)) delete writes[key];
  const list = [
    auditEvent({ verb: 'patch', resource: 'deployments', apiGroup: 'apps', namespace: 'shop', name: 'web', username: alice.username }),
    ...Array.from({ length: events - 1 }, (_, i) =>
      auditEvent({ verb: 'create', resource: 'pods', namespace: 'shop', name: `web-${label.length}-${i}`, username: 'system:serviceaccount:kube-system:replicaset-controller' }),
    ),
  ];
  const batches: string[] = [];
  for (let i = 0; i < list.length; i += batchSize) batches.push(subscriptionData(list.slice(i, i + batchSize), { clusterName: localClusterName, accountId: localAccountId, firstId: i + 1 }));
  const started = performance.now();
  await Promise.all(batches.map((data) => handleAuditPayload(data, deps)));
  const ms = performance.now() - started;
  client.destroy();
  return { label, events, batches: batches.length, scanRequests: sent.length, writes: { ...writes }, writeRequests: Object.values(writes).reduce((a, b) => a + b, 0), ms: round(ms) };
}

// Runs one Lambda handler locally with an events/ sample, against the fake EKS API, the Kubernetes API emulator,
// dynalite and a local SQS/EventBridge receiver (shared/sandbox/local-pipeline.ts). Nothing reaches AWS.
//
//   npm run invoke -- cluster-events events/eks-create-cluster.json --status CREATING --follow
//   npm run invoke -- scan events/sqs-scan-request.json
//   npm run invoke -- discover events/schedule-discover.json
//
// --status <CREATING|ACTIVE|UPDATING>  the fake cluster's status at start (default ACTIVE)
// --follow                              then run the scan function on every queued request; a cluster that is
//                                       not ACTIVE becomes ACTIVE after its first re-enqueue, like a creation ending
// Sample times are set to now: the wait for ACTIVE is measured from the event's time.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { lambdaFunctions, repoRoot, type LambdaName } from '../cdk/bundling.ts';
import {
  lambdaContext,
  localClusterArn,
  localClusterName,
  sqsEventOf,
  startLocalPipeline,
} from '../shared/sandbox/local-pipeline.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const usage = `usage: npm run invoke -- <${Object.keys(lambdaFunctions).join('|')}> events/<file>.json [--status CREATING] [--follow]`;

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

/** The sample, happening now. */
function eventNow(file: string): unknown {
  const event = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const now = new Date().toISOString();
  if (typeof event.detail === 'object' && event.detail !== null) Object.assign(event.detail, { eventTime: now });
  if (typeof event.time === 'string') event.time = now;
  if (Array.isArray(event.Records)) {
    for (const record of event.Records as { body?: string }[]) {
      if (!record.body) continue;
      try {
        record.body = JSON.stringify({ ...(JSON.parse(record.body) as object), requestedAt: now });
      } catch {
        // Not JSON: leave it, the handler will report the malformed message.
      }
    }
  }
  return event;
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { status: { type: 'string', default: 'ACTIVE' }, follow: { type: 'boolean', default: false } },
});
const [name, file] = positionals;
if (!name || !(name in lambdaFunctions)) fail(`unknown function ${name ?? '(none)'}`);
if (!file) fail('no event file given');
const eventFile = path.resolve(file);
const status = values.status as 'ACTIVE' | 'CREATING' | 'UPDATING';
if (!['ACTIVE', 'CREATING', 'UPDATING'].includes(status)) fail(`--status must be ACTIVE, CREATING or UPDATING, not ${status}`);

const local = await startLocalPipeline({ status, pollDelaySeconds: 1 });
try {
  Object.assign(process.env, local.env, { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO' });
  const load = async (fn: LambdaName): Promise<Handler> =>
    ((await import(path.join(repoRoot, lambdaFunctions[fn]))) as { handler: Handler }).handler;

  console.error(`local pipeline: cluster ${localClusterName} (${status}) at ${local.kube.url}, EKS ${local.eks.url}, DynamoDB ${local.store.endpoint}`);
  const result = await (await load(name as LambdaName))(eventNow(eventFile), lambdaContext(`periscope-${name}`));
  console.log(`\n${name} → ${JSON.stringify(result, null, 2)}`);

  if (values.follow) {
    const scan = await load('scan');
    for (let round = 0; round < 20; round += 1) {
      const message = local.receiver.takeMessage();
      if (!message) break;
      const outcome = await scan(sqsEventOf(message.body), lambdaContext('periscope-scan'));
      console.log(`scan (request attempt ${(JSON.parse(message.body) as { attempt: number }).attempt}) → ${JSON.stringify(outcome)}`);
      if (local.receiver.messages.length > 0) local.eks.setClusterStatus(localClusterName, 'ACTIVE');
    }
  }

  console.log(`\nqueued scan requests: ${local.receiver.messages.length}`);
  for (const message of local.receiver.messages) console.log(`  delay ${message.delaySeconds}s  ${message.body}`);
  console.log(`events on the bus: ${local.receiver.events.length}`);
  for (const event of local.receiver.events) {
    const detail = event.detail as { finding?: { ruleId: string; severity: string; resource: { kind: string; namespace?: string; name: string } }; counts?: unknown; reason?: string };
    const what = detail.finding
      ? `${detail.finding.severity} ${detail.finding.ruleId} ${detail.finding.resource.kind}/${detail.finding.resource.namespace ?? ''}/${detail.finding.resource.name}${detail.reason ? ` (${detail.reason})` : ''}`
      : JSON.stringify(detail.counts);
    console.log(`  ${event.detailType.padEnd(16)} ${what}`);
  }
  const open = await local.store.store.findings(localClusterArn, { status: 'open' });
  console.log(`open findings in dynalite: ${open.length}`);
} finally {
  await local.stop();
}

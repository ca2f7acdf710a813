// Every function bundled once by esbuild (as the CDK construct does), then each bundle run in its own Node 24
// process with its events/ samples, against the fake EKS API, the emulator, dynalite and the captured bus; the
// notifiers with the scan's own Scan Completed event, against Secrets Manager, Slack and Jira stand-ins.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JiraReceiver } from '../../shared/sandbox/jira-receiver.ts';
import { eventBridgeEventOf, localClusterArn, startLocalPipeline, type LocalPipeline } from '../../shared/sandbox/local-pipeline.ts';
import { startLocalSecretsManager, type LocalSecretsManager } from '../../shared/sandbox/secrets-manager.ts';
import { SlackReceiver } from '../../shared/sandbox/slack-receiver.ts';
import { startLocalS3, type LocalS3 } from '../../shared/sandbox/s3-receiver.ts';
import { bundleFunctions, type BundleResult } from '../../scripts/bundle.ts';
import { startSecurityHubReceiver, type SecurityHubReceiver } from '../support/securityhub-receiver.ts';
import { eksSampleNames, eventsDir } from '../pipeline/samples.ts';

const run = promisify(execFile);
const marker = '@@result ';

// Runs one bundle over several events in one process: a cold start, then warm invocations.
const runner = `
import { readFileSync } from 'node:fs';
const [bundle, ...files] = process.argv.slice(2);
const { handler } = await import(bundle);
for (const file of files) {
  const context = { functionName: 'bundle-test', functionVersion: '$LATEST', awsRequestId: 'r-' + file.length,
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:bundle-test', memoryLimitInMB: '1024',
    logGroupName: 'local', logStreamName: 'local', getRemainingTimeInMillis: () => 600000 };
  try {
    const result = await handler(JSON.parse(readFileSync(file, 'utf8')), context);
    console.log(${JSON.stringify(marker)} + JSON.stringify({ file, node: process.version, result }));
  } catch (error) {
    console.log(${JSON.stringify(marker)} + JSON.stringify({ file, node: process.version, error: String(error) }));
  }
}
`;

let dir: string;
let bundles: Map<string, BundleResult>;
let local: LocalPipeline;
const slack = new SlackReceiver();
const jira = new JiraReceiver({ projects: ['SEC'] });
let secrets: LocalSecretsManager;
let securityHub: SecurityHubReceiver;
let s3: LocalS3;
const slackSecretId = 'periscope/slack';
const jiraSecretId = 'periscope/jira';
/** What the CDK construct sets on the notifiers (cdk/notifiers.ts), here for Jira Data Center with a PAT. */
let notifierEnv: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'periscope-bundles-'));
  const [results, pipeline, hub, localS3] = await Promise.all([
    bundleFunctions(dir),
    startLocalPipeline({ status: 'ACTIVE' }),
    startSecurityHubReceiver({ accountId: '111122223333' }),
    startLocalS3(),
    slack.start(),
    jira.start(),
  ]);
  s3 = localS3;
  bundles = new Map(results.map((r) => [r.name, r]));
  securityHub = hub;
  local = pipeline;
  secrets = await startLocalSecretsManager({ [slackSecretId]: slack.webhookUrl, [jiraSecretId]: JSON.stringify({ token: 'test-pat' }) });
  notifierEnv = {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    SLACK_SECRET_ID: slackSecretId,
    MIN_SEVERITY: 'high',
    JIRA_SECRET_ID: jiraSecretId,
    JIRA_BASE_URL: jira.url,
    JIRA_SETTINGS: JSON.stringify({ flavour: 'data-center', projectKey: 'SEC', minSeverity: 'high' }),
    AWS_ENDPOINT_URL_SECURITYHUB: securityHub.url,
    SECURITYHUB_PRODUCT_ARN: 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
    AWS_ENDPOINT_URL_S3: s3.url,
    REPORT_BUCKET: 'periscope-reports',
    FLEET_REPORT_BUCKET: 'periscope-reports',
    FLEET_REPORT_KEY: 'fleet-report/latest.html',
  };
  await writeFile(path.join(dir, 'runner.mjs'), runner);
});

afterAll(async () => {
  await Promise.allSettled([local?.stop(), secrets?.stop(), securityHub?.stop(), s3?.stop(), slack.stop(), jira.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs a bundle over event files: names of events/ samples, or absolute paths. */
async function invoke(name: string, samples: string[]): Promise<{ file: string; node: string; result?: unknown; error?: string }[]> {
  const bundle = bundles.get(name)!;
  const { stdout } = await run(process.execPath, [path.join(dir, 'runner.mjs'), bundle.file, ...samples.map((s) => path.resolve(eventsDir, s))], {
    // Only what a Lambda would have: no node_modules next to the bundle, no NODE_OPTIONS from the test runner.
    env: { PATH: process.env.PATH ?? '', ...local.env, ...notifierEnv, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    cwd: dir,
    timeout: 60_000,
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(marker))
    .map((line) => JSON.parse(line.slice(marker.length)));
}

describe('bundled functions on Node 24', () => {
  it('bundles each function into one ESM file', () => {
    expect([...bundles.keys()]).toEqual(expect.arrayContaining(['cluster-events', 'discover', 'scan', 'notify-slack', 'notify-jira', 'notify-securityhub', 'audit-events', 'fleet-report']));
    for (const bundle of bundles.values()) expect(bundle.bytes).toBeGreaterThan(100_000);
  });

  it('keeps every bundle within the 2 MiB cold-start budget (minified, as deployed)', () => {
    const over = [...bundles.values()].filter((b) => b.bytes > 2 * 1024 * 1024).map((b) => `${b.name}: ${b.bytes} bytes`);
    expect(over, 'a bundle grew past 2 MiB: see BENCHMARKS.md (zod must be imported as `import * as z`)').toEqual([]);
  });

  it('keeps the scan bundle within 1 MiB: no @kubernetes/client-node, whose list path node:https replaces', () => {
    const scan = bundles.get('scan');
    expect(scan?.bytes, 'the scan bundle grew past 1 MiB: see BENCHMARKS.md (functions/adapters must connect with an endpoint, not a KubeConfig)').toBeLessThanOrEqual(1024 * 1024);
  });

  it('scan: the SQS sample scans the cluster, stores findings and publishes events', async () => {
    const [out] = await invoke('scan', ['sqs-scan-request.json']);
    expect(out?.node).toMatch(/^v24\./);
    expect(out).toMatchObject({ result: { batchItemFailures: [] } });
    expect((await local.store.store.findings(localClusterArn, { status: 'open' })).length).toBeGreaterThan(0);
    expect(local.receiver.events.map((e) => e.detailType)).toContain('Scan Completed');
  });

  it("notify-slack and notify-jira: the scan's Scan Completed event, as EventBridge delivers it", async () => {
    const completed = local.receiver.events.find((e) => e.detailType === 'Scan Completed');
    expect(completed, 'the scan test publishes it').toBeDefined();
    const eventFile = path.join(dir, 'scan-completed.json');
    await writeFile(eventFile, JSON.stringify(eventBridgeEventOf(completed!)));

    const [toSlack] = await invoke('notify-slack', [eventFile]);
    expect(toSlack).toMatchObject({ result: { sent: true, kind: 'baseline' } });
    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]!.text).toMatch(/baseline/i);

    const [toJira] = await invoke('notify-jira', [eventFile]);
    const open = (await local.store.store.findings(localClusterArn, { status: 'open' })).filter((f) => ['critical', 'high'].includes(f.severity));
    expect(open.length).toBeGreaterThan(0);
    const rules = new Set(open.map((f) => f.ruleId));
    expect(toJira).toMatchObject({ result: { created: rules.size, pending: 0, groups: rules.size } });
    // Data Center: REST v2 with the personal access token, one ticket per rule.
    const issues = [...jira.issues.values()];
    expect(issues.map((i) => i.apiVersion)).toEqual(Array(rules.size).fill(2));
    expect(issues.map((i) => i.project)).toEqual(Array(rules.size).fill('SEC'));
    expect(secrets.reads).toEqual([slackSecretId, jiraSecretId]);
  });

  it('notify-securityhub: the finding samples as the queue delivers them; an unreadable message is a batch item failure', async () => {
    const record = (messageId: string, body: string) => ({ messageId, receiptHandle: messageId, body, attributes: {}, messageAttributes: {}, eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:q', awsRegion: 'eu-west-1' });
    const sampleText = (file: string) => readFileSync(path.join(eventsDir, file), 'utf8');
    const eventFile = path.join(dir, 'securityhub-batch.json');
    await writeFile(
      eventFile,
      JSON.stringify({ Records: [record('opened', sampleText('periscope-finding-opened.json')), record('resolved', sampleText('periscope-finding-resolved.json')), record('suppressed', sampleText('periscope-finding-suppressed.json')), record('garbage', '{"not": "an event"}')] }),
    );
    const [out] = await invoke('notify-securityhub', [eventFile]);
    expect(out?.node).toMatch(/^v24\./);
    expect(out).toMatchObject({ result: { batchItemFailures: [{ itemIdentifier: 'garbage' }] } });
    const fingerprintOf = (file: string) => (JSON.parse(sampleText(file)) as { detail: { finding: { fingerprint: string } } }).detail.finding.fingerprint;
    // The opened and resolved samples are one finding: the later change (resolved) is what Security Hub holds.
    expect(securityHub.byId(fingerprintOf('periscope-finding-resolved.json'))).toMatchObject({ workflow: 'RESOLVED', finding: { RecordState: 'ARCHIVED' } });
    expect(securityHub.byId(fingerprintOf('periscope-finding-suppressed.json'))?.workflow).toBe('SUPPRESSED');
    expect(securityHub.findings.size).toBe(2);
    expect(securityHub.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('audit-events: the CloudWatch Logs sample (gzip + base64) opens the exec finding and requests a rescan', async () => {
    const before = local.receiver.messages.length;
    const [out] = await invoke('audit-events', ['cloudwatch-logs-audit.json']);
    expect(out?.node).toMatch(/^v24\./);
    expect(out).toMatchObject({ result: { outcome: 'processed', clusterArn: localClusterArn, events: 2, relevant: 1, rescan: 'requested', opened: 1 } });
    expect(local.receiver.messages.length).toBe(before + 1);
    expect(local.receiver.events.filter((e) => e.detailType === 'Finding Opened').map((e) => (e.detail as { finding: { ruleId: string } }).finding.ruleId)).toContain('audit-pod-exec');
  });

  it('fleet-report: the schedule sample writes the fleet report; the next Slack digest links to it', async () => {
    const [out] = await invoke('fleet-report', ['schedule-fleet-report.json']);
    expect(out).toMatchObject({ result: { clusters: 1, keys: { latest: 'fleet-report/latest.html' } } });
    const latest = s3.objects.get('periscope-reports/fleet-report/latest.html');
    expect(latest).toMatchObject({ contentType: 'text/html; charset=utf-8', serverSideEncryption: 'AES256' });
    expect(latest?.body).toContain('<section id="heatmap">');

    const completed = local.receiver.events.find((e) => e.detailType === 'Scan Completed');
    const eventFile = path.join(dir, 'scan-completed-again.json');
    await writeFile(eventFile, JSON.stringify(eventBridgeEventOf(completed!)));
    const before = slack.messages.length;
    await invoke('notify-slack', [eventFile]);
    expect(JSON.stringify(slack.messages[before]?.blocks)).toMatch(/<http:\/\/127\.0\.0\.1:\d+\/periscope-reports\/fleet-report\/latest\.html\?[^|>]*X-Amz-Signature=[0-9a-f]{64}[^|>]*\|Fleet report>/);
  });

  it('discover: the schedule sample lists the cluster and queues its scan', async () => {
    const before = local.receiver.messages.length;
    const [out] = await invoke('discover', ['schedule-discover.json']);
    expect(out).toMatchObject({ result: { found: 1, enqueued: 1, deleted: 0 } });
    expect(local.receiver.messages.length).toBe(before + 1);
  });

  it('cluster-events: every EKS sample, DeleteCluster last', async () => {
    const samples = eksSampleNames().filter((s) => s !== 'eks-delete-cluster.json');
    const outs = await invoke('cluster-events', [...samples, 'eks-delete-cluster.json']);
    const byFile = new Map(outs.map((o) => [path.basename(o.file), o]));
    expect(byFile.size).toBe(samples.length + 1);
    for (const sample of samples) {
      const expected = sample === 'eks-failed-update.json' ? 'ignored' : 'enqueued';
      expect(byFile.get(sample), sample).toMatchObject({ result: { outcome: expected } });
    }
    expect(byFile.get('eks-delete-cluster.json')).toMatchObject({ result: { outcome: 'deleted', clusterArn: localClusterArn } });
    expect(local.receiver.events.some((e) => e.detailType === 'Finding Resolved')).toBe(true);
  });
});

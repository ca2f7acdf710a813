// `npm run demo`: Periscope's whole job on this machine, with no AWS account and no cluster. The sandbox (the
// Kubernetes API emulator serving the demo cluster, the fake EKS API, dynalite, SQS/EventBridge, Secrets Manager,
// Slack and Jira stand-ins) runs in this process; the REAL Lambda handlers (given by the caller, since shared/ never
// imports functions/) run against it through the AWS SDK pointed at loopback endpoints with dummy credentials.
//
//   CreateCluster (CloudTrail) → cluster-events → SQS → scan (CREATING: re-enqueued) → ACTIVE → scan → bus
//   → notify-slack, notify-jira → the dashboard gets fixed → discover (schedule) → scan → bus → notifiers
//   → a person applies a privileged pod and execs into it → audit log → audit-events → (debounced) scan → notifiers
import { readFile, mkdir, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeCause, severities, severityRank, type Finding, type Severity } from '../../model/finding.ts';
import type { ClusterRef } from '../../model/cluster.ts';
import type { KubeObject } from '../../model/kube.ts';
import type { Snapshot } from '../../model/snapshot.ts';
import { eventDetailTypes, type ScanCompleted } from '../../model/pipeline.ts';
import { renderHtml, hopsOf, trendOf } from '../../report/html.ts';
import { toJsonReport, type JsonReport } from '../../report/json.ts';
import { resourceLabel, titleOf, type ScanReport } from '../../report/scan-report.ts';
import { rules } from '../../rules/index.ts';
import type { StoredFinding, ScanRecord } from '../../store/records.ts';
import type { LocalStore } from '../../store/local.ts';
import { JiraReceiver } from '../jira-receiver.ts';
import { eventBridgeEventOf, lambdaContext, sqsEventOf, startLocalPipeline, type LocalPipeline } from '../local-pipeline.ts';
import { startLocalSecretsManager, type LocalSecretsManager } from '../secrets-manager.ts';
import { SlackReceiver } from '../slack-receiver.ts';
import { demoRescanWindowSeconds, liveChange, liveSteps } from './live.ts';
import {
  clusterChange,
  demoAccountId,
  demoAddonCatalogue,
  demoClusterArn,
  demoClusterName,
  demoClusterObjects,
  demoEksCluster,
  demoRegion,
} from './cluster.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** The Lambda handlers of functions/, and the scan function's own snapshot source (for the report's RBAC
 * analysis). Loaded only after the sandbox's environment is set: the functions read it when they load. */
export interface DemoHandlers {
  clusterEvents: Handler;
  scan: Handler;
  discover: Handler;
  notifySlack: Handler;
  notifyJira: Handler;
  auditEvents: Handler;
  snapshot(location: { name: string; region: string; accountId: string; arn: string }): Promise<Snapshot>;
}

export interface DemoOptions {
  /** Where the outputs go (created; emptied of the demo's own files first). */
  outDir: string;
  loadHandlers: () => Promise<DemoHandlers>;
  /** Progress and summary lines (default: nothing). */
  log?: (line: string) => void;
  /** Let the functions' JSON logs through (default: silent). */
  verbose?: boolean;
}

export interface DemoScan {
  scanId: string;
  report: JsonReport;
  /** Stored findings after the scan, every status, with their details (attack-path hops...). */
  findings: StoredFinding[];
  opened: StoredFinding[];
  resolved: StoredFinding[];
  completed: ScanCompleted;
}

export interface DemoResult {
  outDir: string;
  scans: DemoScan[];
  slack: SlackReceiver['messages'];
  jiraIssues: JiraReceiver['issues'];
  jiraRequests: JiraReceiver['requests'];
  /** The third phase: what audit-events said of each batch, and the time from the first audit event to the rescan's
   * Finding Opened events and its Slack digest. */
  live: LiveOutcome;
  files: string[];
  elapsedMs: number;
}

const slackSecretId = 'periscope/slack';
const jiraSecretId = 'periscope/jira';
const jiraProject = 'SEC';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface Sandbox {
  local: LocalPipeline;
  slack: SlackReceiver;
  jira: JiraReceiver;
  secrets: LocalSecretsManager;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** The pipeline's local services (shared/sandbox/local-pipeline.ts) serving the demo cluster, plus what the
 * notifiers talk to: Secrets Manager, Slack and Jira. */
async function startSandbox(outDir: string, objects: KubeObject[], verbose: boolean): Promise<Sandbox> {
  const started: { stop(): Promise<unknown> }[] = [];
  try {
    // The re-enqueued request is delivered at once when the cluster turns ACTIVE: a delay within the scan's 30 s
    // tolerance for early deliveries keeps the demo from waiting for it.
    const local = await startLocalPipeline({ status: 'CREATING', objects, pollDelaySeconds: 20, addonCatalogue: demoAddonCatalogue() });
    started.push(local);
    local.eks.putCluster(demoEksCluster(local.kube.url, local.kube.caData));
    const slack = new SlackReceiver({ outputDir: path.join(outDir, 'slack') });
    await slack.start();
    started.push(slack);
    const jira = new JiraReceiver({ outputDir: path.join(outDir, 'jira'), projects: [jiraProject] });
    await jira.start();
    started.push(jira);
    const secrets = await startLocalSecretsManager({
      [slackSecretId]: JSON.stringify({ webhookUrl: slack.webhookUrl }),
      [jiraSecretId]: JSON.stringify({ email: 'periscope@example.com', apiToken: 'test-token', baseUrl: jira.url }),
    });
    started.push(secrets);
    const env: Record<string, string> = {
      ...local.env,
      // Anything not pointed at the sandbox goes to a closed port, never to AWS.
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      SLACK_SECRET_ID: slackSecretId,
      MIN_SEVERITY: 'high',
      JIRA_SECRET_ID: jiraSecretId,
      JIRA_SETTINGS: JSON.stringify({ projectKey: jiraProject, minSeverity: 'high' }),
      AUDIT_STREAM: 'true',
      RESCAN_WINDOW_SECONDS: String(demoRescanWindowSeconds),
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: verbose ? 'INFO' : 'SILENT',
    };
    return {
      local,
      slack,
      jira,
      secrets,
      env,
      stop: async () => {
        await Promise.allSettled(started.reverse().map((service) => service.stop()));
      },
    };
  } catch (error) {
    await Promise.allSettled(started.map((service) => service.stop()));
    throw error;
  }
}

/** Sets the functions' environment; returns how to put the previous one back. Credentials of the caller's own
 * AWS setup are hidden for the duration, so nothing can fall back to them. */
function useEnvironment(env: Record<string, string>): () => void {
  const hidden = ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'];
  const keys = [...new Set([...Object.keys(env), ...hidden])];
  const previous = new Map(keys.map((key) => [key, process.env[key]]));
  for (const key of hidden) delete process.env[key];
  Object.assign(process.env, env);
  return () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/** The sample CloudTrail event, dated now: the demo cluster is being created as the demo runs. */
async function createClusterEvent(now: Date): Promise<unknown> {
  const event = JSON.parse(await readFile(path.join(repoRoot, 'events', 'eks-create-cluster.json'), 'utf8')) as Record<string, unknown> & { detail: Record<string, unknown> };
  const at = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { ...event, time: at, detail: { ...event.detail, eventTime: at } };
}

const byEngineOrder = (a: Finding, b: Finding): number =>
  severityRank(b.severity) - severityRank(a.severity) ||
  a.ruleId.localeCompare(b.ruleId) ||
  resourceLabel(a.resource).localeCompare(resourceLabel(b.resource));

function countsText(bySeverity: Record<Severity, number>): string {
  const parts = severities.filter((s) => bySeverity[s] > 0).map((s) => `${bySeverity[s]} ${s}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const outDir = path.resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  for (const entry of ['slack', 'jira', 'report.html', 'scan-1.json', 'scan-2.json', 'scan-3.json']) await rm(path.join(outDir, entry), { recursive: true, force: true });

  log('▸ Starting the sandbox: Kubernetes API emulator (HTTPS), fake EKS API, dynalite, SQS/EventBridge, Secrets Manager, Slack and Jira receivers');
  const objects = demoClusterObjects();
  const sandbox = await startSandbox(outDir, objects, options.verbose ?? false);
  const restoreEnvironment = useEnvironment(sandbox.env);
  try {
    const handlers = await options.loadHandlers();
    log(`  demo cluster ${demoClusterName}: ${objects.length} objects (EKS add-ons in kube-system, apps in ops, ci, analytics, payments)`);

    let messageIndex = 0;
    const scanNext = async (): Promise<void> => {
      const message = sandbox.local.receiver.takeMessage();
      if (!message) throw new Error('The demo expected a scan request on the queue and found none (see the functions\' logs with --verbose).');
      messageIndex += 1;
      const result = (await handlers.scan(sqsEventOf(message.body, `demo-${messageIndex}`), lambdaContext('periscope-scan'))) as { batchItemFailures?: unknown[] };
      if (result.batchItemFailures && result.batchItemFailures.length > 0) {
        throw new Error(`The scan function failed on request ${message.body} (run the demo with --verbose to see its logs).`);
      }
    };
    let eventIndex = 0;
    const deliverScanCompleted = async (): Promise<ScanCompleted> => {
      const events = sandbox.local.receiver.events.slice(eventIndex);
      eventIndex = sandbox.local.receiver.events.length;
      const completed = events.find((event) => event.detailType === eventDetailTypes.scanCompleted);
      if (!completed) throw new Error('The scan published no "Scan Completed" event.');
      const envelope = eventBridgeEventOf(completed, eventIndex);
      const opened = events.filter((e) => e.detailType === eventDetailTypes.findingOpened).length;
      const resolved = events.filter((e) => e.detailType === eventDetailTypes.findingResolved).length;
      log(`  bus: Scan Completed, ${plural(opened, 'Finding Opened event')}, ${plural(resolved, 'Finding Resolved event')}`);
      const slackBefore = sandbox.slack.messages.length;
      await handlers.notifySlack(envelope, lambdaContext('periscope-notify-slack'));
      const sent = sandbox.slack.messages.length - slackBefore;
      log(`  notify-slack: ${sent === 0 ? 'nothing to post' : plural(sent, 'message')} posted`);
      const jiraBefore = sandbox.jira.requests.length;
      const sync = (await handlers.notifyJira(envelope, lambdaContext('periscope-notify-jira'))) as { created?: number; groups?: number; pending?: number };
      log(`  notify-jira: ${sync.created ?? 0} created, ${sync.groups ?? 0} ticket groups synced, ${sync.pending ?? 0} pending (${plural(sandbox.jira.requests.length - jiraBefore, 'request')})`);
      return completed.detail as ScanCompleted;
    };

    // 1. EKS says a cluster is being created.
    log('▸ CloudTrail: CreateCluster payments-prod (events/eks-create-cluster.json) → cluster-events function');
    const enqueued = (await handlers.clusterEvents(await createClusterEvent(new Date()), lambdaContext('periscope-cluster-events'))) as { outcome?: string };
    if (enqueued.outcome !== 'enqueued') throw new Error(`cluster-events did not request a scan (outcome ${String(enqueued.outcome)}).`);
    log('  scan request queued on SQS');

    // 2. The scan finds it still CREATING and puts the request back with a delay.
    log('▸ scan function: DescribeCluster says CREATING');
    await scanNext();
    const retry = sandbox.local.receiver.messages[0];
    if (!retry) throw new Error('The scan of a CREATING cluster did not re-enqueue its request.');
    log(`  request re-enqueued with a ${retry.delaySeconds} s delay (SQS delivers it when the cluster may be ACTIVE)`);

    // 3. The cluster becomes ACTIVE; the delayed request is delivered (the demo does not wait for the delay).
    sandbox.local.eks.setClusterStatus(demoClusterName, 'ACTIVE');
    log('▸ EKS: cluster ACTIVE → scan function: token, snapshot, rules, reconcile in dynalite, events on the bus');
    let t = Date.now();
    await scanNext();
    log(`  scanned in ${Date.now() - t} ms`);
    const first = await deliverScanCompleted();
    const scan1 = await collectScan(sandbox.local.store, first);

    // 4. Someone fixes the exposed dashboard (and leaves a debug pod behind).
    const change = clusterChange(objects);
    for (const object of change.objects) sandbox.local.kube.apply(object);
    log('▸ Change in the cluster:');
    for (const line of change.description) log(`  ${line}`);

    // 5. The scheduled discovery finds the cluster and requests its next scan.
    log('▸ discover function (schedule): ListClusters → scan request');
    await handlers.discover(JSON.parse(await readFile(path.join(repoRoot, 'events', 'schedule-discover.json'), 'utf8')), lambdaContext('periscope-discover'));
    log('▸ scan function: second scan');
    t = Date.now();
    await scanNext();
    log(`  scanned in ${Date.now() - t} ms`);
    const second = await deliverScanCompleted();
    const scan2 = await collectScan(sandbox.local.store, second);

    // 6. The live change stream: a person changes the cluster; its audit log reaches audit-events.
    const live = await livePhase(sandbox, handlers, { scanNext, deliverScanCompleted, skipEvents: () => (eventIndex = sandbox.local.receiver.events.length) }, log);
    const scan3 = await collectScan(sandbox.local.store, live.completed);

    // 7. Reports.
    const snapshot = await handlers.snapshot({ name: demoClusterName, region: demoRegion, accountId: demoAccountId, arn: demoClusterArn });
    const history = trendOf(await sandbox.local.store.store.scans(demoClusterArn), scan3.scanId);
    const files: string[] = [];
    const write = async (name: string, text: string) => {
      await writeFile(path.join(outDir, name), text, 'utf8');
      files.push(path.join(outDir, name));
    };
    await write('scan-1.json', `${JSON.stringify(scan1.report, null, 2)}\n`);
    await write('scan-2.json', `${JSON.stringify(scan2.report, null, 2)}\n`);
    await write('scan-3.json', `${JSON.stringify(scan3.report, null, 2)}\n`);
    await write('report.html', renderHtml(scan3.scanReport, { snapshot, history, title: `Periscope — ${demoClusterName} (demo)` }));

    await sandbox.slack.stop();
    await sandbox.jira.stop();
    const result: DemoResult = {
      outDir,
      scans: [scan1, scan2, scan3].map(({ scanReport: _report, ...scan }) => scan),
      slack: sandbox.slack.messages,
      jiraIssues: sandbox.jira.issues,
      jiraRequests: sandbox.jira.requests,
      live: live.outcome,
      files,
      elapsedMs: Date.now() - started,
    };
    for (const line of summaryLines(result)) log(line);
    return result;
  } finally {
    restoreEnvironment();
    await sandbox.stop();
  }
}

export interface LiveOutcome {
  batches: { outcome?: string; rescan?: string; opened?: number }[];
  /** Event findings audit-events opened (the exec). */
  eventFindings: Finding[];
  /** From the person's first change being delivered to the rescan's Finding Opened events, and to its Slack post. */
  toFindingOpenedMs: number;
  toSlackMs: number;
}

interface PhaseSteps {
  scanNext(): Promise<void>;
  deliverScanCompleted(): Promise<ScanCompleted>;
  /** Marks the bus events so far as delivered (the audit findings are not a scan's). */
  skipEvents(): void;
}

/** Phase 3: alice's apply and exec reach audit-events; one rescan (debounced) opens the pod's findings with her name. */
async function livePhase(
  sandbox: Sandbox,
  handlers: DemoHandlers,
  steps: PhaseSteps,
  log: (line: string) => void,
): Promise<{ outcome: LiveOutcome; completed: ScanCompleted }> {
  log(`▸ Live change stream: EKS audit log (/aws/eks/${demoClusterName}/cluster) → subscription filter → audit-events function (rescan window ${demoRescanWindowSeconds} s)`);
  const started = Date.now();
  const queuedBefore = sandbox.local.receiver.messages.length;
  const eventsBefore = sandbox.local.receiver.events.length;
  const batches: LiveOutcome['batches'] = [];
  for (const step of liveSteps({ clusterName: demoClusterName, accountId: demoAccountId }, new Date())) {
    for (const object of step.objects) sandbox.local.kube.apply(object);
    log(`  ${step.description}`);
    const result = (await handlers.auditEvents({ awslogs: { data: step.data } }, lambdaContext('periscope-audit-events'))) as LiveOutcome['batches'][number];
    batches.push(result);
    const rescan = result.rescan === 'requested' ? 'rescan requested' : result.rescan === 'debounced' ? 'rescan already requested in this window (debounced)' : 'no rescan';
    log(`  audit-events: ${plural(step.events, 'audit event')} → ${rescan}, ${plural(result.opened ?? 0, 'event finding')} opened`);
  }
  const eventFindings = sandbox.local.receiver.events
    .slice(eventsBefore)
    .filter((e) => e.detailType === eventDetailTypes.findingOpened)
    .map((e) => (e.detail as { finding: Finding }).finding);
  for (const f of eventFindings) log(`  bus: Finding Opened ${f.ruleId} (${f.severity}): ${f.message}`);
  steps.skipEvents();
  const queued = sandbox.local.receiver.messages.length - queuedBefore;
  const request = sandbox.local.receiver.messages.at(-1);
  log(`  SQS: ${plural(queued, 'scan request')} for the window (delay ${request?.delaySeconds ?? 0} s, within the scan's tolerance: delivered at once here)`);
  log('▸ scan function: targeted rescan');
  await steps.scanNext();
  const toFindingOpenedMs = Date.now() - started;
  const completed = await steps.deliverScanCompleted();
  const toSlackMs = Date.now() - started;
  const named = sandbox.slack.messages.at(-1)?.text ?? '';
  log(`  Slack names ${liveChange.person}: ${JSON.stringify(sandbox.slack.messages.at(-1)?.blocks ?? []).includes(liveChange.person) ? 'yes' : 'no'} (${(toSlackMs / 1000).toFixed(1)} s after the change, window ${demoRescanWindowSeconds} s) — "${named.split('\n')[0] ?? ''}"`);
  return { outcome: { batches, eventFindings, toFindingOpenedMs, toSlackMs }, completed };
}

/** The stored findings after one scan, and its JSON report (DESIGN.md §4). */
async function collectScan(local: LocalStore, completed: ScanCompleted): Promise<DemoScan & { scanReport: ScanReport }> {
  const store = local.store;
  const record: ScanRecord | undefined = (await store.scans(demoClusterArn)).find((r) => r.scanId === completed.scanId);
  if (!record) throw new Error(`No scan record ${completed.scanId} in the store.`);
  const stored = await store.findings(demoClusterArn);
  const changedNow = (f: StoredFinding) => f.changedAt === record.scannedAt;
  const opened = stored.filter((f) => f.status === 'OPEN' && changedNow(f) && (f.lastChange === 'opened' || f.lastChange === 'reopened'));
  const resolved = stored.filter((f) => f.status === 'RESOLVED' && changedNow(f));
  const current = stored.filter((f) => f.status !== 'RESOLVED' || changedNow(f)).sort(byEngineOrder);
  const cluster: ClusterRef = {
    id: demoClusterArn,
    name: demoClusterName,
    arn: demoClusterArn,
    accountId: demoAccountId,
    region: demoRegion,
    source: 'eks',
  };
  const scanReport: ScanReport = {
    cluster,
    scannedAt: record.scannedAt,
    coverage: record.coverage,
    findings: current,
    rules,
    lifecycle: { opened: completed.counts.opened, resolved: completed.counts.resolved, unchanged: completed.counts.unchanged },
    ...(record.skippedRules ? { skipped: record.skippedRules } : {}),
  };
  return { scanId: completed.scanId, report: toJsonReport(scanReport), findings: stored, opened, resolved, completed, scanReport };
}

function summaryLines(result: DemoResult): string[] {
  const [first, second, third] = result.scans as [DemoScan, DemoScan, DemoScan];
  const lines: string[] = ['', '━━ Summary ━━'];
  const open1 = first.report.findings.filter((f) => f.status === 'OPEN');
  lines.push(`Scan 1 (baseline): ${open1.length} open findings: ${countsText(first.report.summary.bySeverity)}; ${first.report.summary.suppressed} suppressed (EKS platform components, kept but not alerted)`);
  const byRule = new Map<string, { count: number; severity: Severity }>();
  for (const f of open1) byRule.set(f.ruleId, { count: (byRule.get(f.ruleId)?.count ?? 0) + 1, severity: byRule.get(f.ruleId)?.severity ?? f.severity });
  const top = [...byRule].sort((a, b) => severityRank(b[1].severity) - severityRank(a[1].severity) || b[1].count - a[1].count).slice(0, 8);
  lines.push('Top rules:');
  for (const [ruleId, { count, severity }] of top) lines.push(`  ${severity.toUpperCase().padEnd(8)} ${ruleId.padEnd(34)} ${plural(count, 'resource')}  ${titleOf({ rules }, ruleId)}`);
  const paths = first.findings.filter((f) => f.status === 'OPEN' && f.ruleId.startsWith('path-'));
  lines.push(`Attack paths: ${paths.length}`);
  for (const p of paths) {
    lines.push(`  ${p.severity.toUpperCase()} ${resourceLabel(p.resource)}`);
    lines.push(`    ${hopsOf(p).map((hop) => hop.ref).join('  →  ')}`);
  }
  lines.push(`Scan 2: ${second.opened.length} new, ${second.resolved.length} resolved; now ${countsText(second.report.summary.bySeverity)}`);
  const alerted = [...second.opened].sort(byEngineOrder).filter((f) => severityRank(f.severity) >= severityRank('high'));
  for (const f of alerted) lines.push(`  + ${f.severity.toUpperCase().padEnd(8)} ${f.ruleId.padEnd(34)} ${resourceLabel(f.resource)}`);
  if (second.opened.length > alerted.length) lines.push(`  + … and ${second.opened.length - alerted.length} new medium/low/info findings (in scan-2.json and the report)`);
  for (const f of [...second.resolved].sort(byEngineOrder)) lines.push(`  - ${f.severity.toUpperCase().padEnd(8)} ${f.ruleId.padEnd(34)} ${resourceLabel(f.resource)}  (resolved)`);
  lines.push(`Live (audit log): ${plural(result.live.eventFindings.length, 'event finding')} (${result.live.eventFindings.map((f) => f.ruleId).join(', ')}); rescan: ${third.opened.length} new in ${(result.live.toFindingOpenedMs / 1000).toFixed(1)} s`);
  for (const f of [...third.opened].sort(byEngineOrder).filter((o) => severityRank(o.severity) >= severityRank('high'))) {
    lines.push(`  + ${f.severity.toUpperCase().padEnd(8)} ${f.ruleId.padEnd(34)} ${resourceLabel(f.resource)}  ${f.cause ? describeCause(f.cause) : ''}`);
  }
  const issues = [...result.jiraIssues.values()];
  const comments = issues.reduce((n, i) => n + i.comments.length, 0);
  const transitions = issues.flatMap((i) => i.transitions.map((name) => `${i.key} → ${name}`));
  lines.push(`Slack: ${plural(result.slack.length, 'message')} (${result.slack.map((m) => `"${(m.text.split('\n')[0] ?? '').slice(0, 70)}"`).join(', ')})`);
  lines.push(`Jira: ${plural(issues.length, 'ticket')} created (${issues.map((i) => i.key).join(', ')}), ${plural(comments, 'comment')}, transitions: ${transitions.join(', ') || 'none'}`);
  const rel = (file: string) => {
    const relative = path.relative(process.cwd(), file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  };
  lines.push(`Wrote ${rel(path.join(result.outDir, 'report.html'))}, scan-1.json, scan-2.json, scan-3.json, slack/ (${result.slack.length} files), jira/ (${result.jiraRequests.length} files)`);
  lines.push(`Done in ${(result.elapsedMs / 1000).toFixed(1)} s. Open the report: ${rel(path.join(result.outDir, 'report.html'))}`);
  return lines;
}

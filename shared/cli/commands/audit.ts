// `periscope audit`: the event detections and attribution on an exported audit log, as the live stream runs them.
import { createReadStream } from 'node:fs';
import { Option, type Command } from 'commander';
import { causesByObject } from '../../audit/cause.ts';
import { readAuditLog, type AuditLogRecord } from '../../audit/decode.ts';
import { detect, detectionSettingsOf, type DetectResult } from '../../audit/detect.ts';
import type { AnyDetection } from '../../audit/detection.ts';
import { detections } from '../../audit/detections/index.ts';
import { matchesFilter } from '../../audit/filter-pattern.ts';
import { auditFilterTerm } from '../../audit/relevance.ts';
import { parseClusterArn } from '../../eks/cluster-arn.ts';
import type { AnyRule } from '../../engine/rule.ts';
import type { AuditEvent, Cause } from '../../model/audit.ts';
import type { ClusterRef } from '../../model/cluster.ts';
import { atLeast, severities, type Severity } from '../../model/finding.ts';
import { columns } from '../../report/catalogue.ts';
import { renderJson } from '../../report/json.ts';
import { renderSarif } from '../../report/sarif.ts';
import type { ScanReport } from '../../report/scan-report.ts';
import { printable, renderTable } from '../../report/table.ts';
import { CliError, exitCodes } from '../errors.ts';
import { useColor, warn, writeReport } from '../output.ts';
import { periscopeVersion } from '../version.ts';

type AuditFormat = 'table' | 'json' | 'sarif';

export interface AuditOptions {
  file?: string;
  format: AuditFormat;
  output?: string;
  failOn?: Severity;
  cluster?: string;
  internalCidr?: string[];
  learningDays?: string;
  listDetections?: boolean;
}

/** Bad lines shown on standard error; the rest are counted. */
const shownErrors = 5;
/** Objects listed under "Changes" in the table. */
const shownChanges = 20;

export function register(program: Command): void {
  program
    .command('audit')
    .description('run the event detections and attribution on an exported Kubernetes audit log')
    .option('-f, --file <file>', 'the audit log: JSON lines (the API server log backend), `aws logs filter-log-events` JSON output, or - for standard input')
    .addOption(new Option('--format <format>', 'report format').choices(['table', 'json', 'sarif']).default('table'))
    .option('-o, --output <file>', 'write the report to this file instead of standard output')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(severities))
    .option('--cluster <arn>', 'the EKS cluster ARN the log is from: findings then carry the fingerprints the live stream gives')
    .option('--internal-cidr <cidr...>', 'node and pod CIDRs (and NAT addresses): a service account used from elsewhere is reported')
    .option('--learning-days <days>', 'days from the first event during which secret reads are learnt, not reported (default 14)')
    .option('--list-detections', 'list the event detections and exit')
    .addHelpText(
      'after',
      `
Exit codes: 0 read, 1 a finding at or above --fail-on, 2 the log could not be read or some lines were not audit
events (the rest is still judged and reported; the first few bad lines go to standard error).

Examples:
  periscope audit -f audit.log
  aws logs filter-log-events --log-group-name /aws/eks/prod/cluster \\
    --log-stream-name-prefix kube-apiserver-audit --start-time 1764669600000 > audit.json
  periscope audit -f audit.json --cluster arn:aws:eks:eu-west-1:111122223333:cluster/prod --format sarif -o audit.sarif
  kubectl logs -n kube-system kube-apiserver-0 | periscope audit -f - --fail-on high`,
    )
    .action(async (options: AuditOptions) => {
      process.exitCode = await audit(options);
    });
}

/** Detections as the report writers hold rules: their metadata (titles, remediation, frameworks) is all they read. */
function asCatalogueEntry(detection: AnyDetection): AnyRule {
  return { id: detection.id, meta: detection.meta, check: () => undefined };
}

export const detectionCatalogue: readonly AnyRule[] = detections.map(asCatalogueEntry);

function clusterOf(options: AuditOptions): ClusterRef {
  if (options.cluster !== undefined) {
    const location = parseClusterArn(options.cluster);
    if (!location) throw new CliError(`--cluster "${options.cluster}" is not an EKS cluster ARN (arn:aws:eks:<region>:<account>:cluster/<name>)`);
    return { id: location.arn, name: location.name, arn: location.arn, accountId: location.accountId, region: location.region, source: 'eks' };
  }
  const file = options.file === '-' ? 'stdin' : options.file!;
  return { id: `manifests:${file}`, name: file, source: 'manifests' };
}

function settingsOf(options: AuditOptions): Parameters<typeof detectionSettingsOf>[0] {
  const settings: Parameters<typeof detectionSettingsOf>[0] = { internalCidrs: options.internalCidr ?? [] };
  if (options.learningDays !== undefined) {
    const days = Number(options.learningDays);
    if (!Number.isInteger(days) || days < 0) throw new CliError(`--learning-days "${options.learningDays}" is not a whole number of days`);
    settings.learningPeriodDays = days;
  }
  try {
    detectionSettingsOf(settings);
  } catch (error) {
    throw new CliError(`--internal-cidr: ${(error as Error).message}`);
  }
  return settings;
}

function openLog(file: string): AsyncIterable<string | Uint8Array> {
  if (file === '-') return process.stdin;
  return createReadStream(file, { highWaterMark: 2 ** 20 });
}

interface ReadLog {
  /** The events the live stream's subscription filter would deliver. */
  events: AuditEvent[];
  read: number;
  /** The first few lines that were not audit events. */
  errors: Extract<AuditLogRecord, { error: string }>[];
  errorCount: number;
}

async function readLog(file: string): Promise<ReadLog> {
  const log: ReadLog = { events: [], read: 0, errors: [], errorCount: 0 };
  try {
    for await (const record of readAuditLog(openLog(file))) {
      if ('error' in record) {
        log.errorCount += 1;
        if (log.errors.length < shownErrors) log.errors.push(record);
        continue;
      }
      log.read += 1;
      // Judge what the subscription filter would deliver, so a big log is not held whole.
      if (matchesFilter(auditFilterTerm, record.event)) log.events.push(record.event);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`cannot read ${file}: no such file`);
    if (code === 'EACCES' || code === 'EISDIR') throw new CliError(`cannot read ${file}: ${code === 'EACCES' ? 'permission denied' : 'it is a directory'}`);
    throw error;
  }
  return log;
}

function changeLine(key: string, cause: Cause): string[] {
  const who = cause.impersonatedUser ? `${cause.username} (as ${cause.impersonatedUser})` : cause.username;
  const tool = cause.userAgent ? cause.userAgent.split(' ')[0]! : 'an unknown client';
  return [key, cause.verb, who, tool, cause.sourceIPs[0] ?? '-', cause.time].map(printable);
}

function changesTable(causes: Map<string, Cause>): string {
  if (causes.size === 0) return 'Changes: none (no completed, allowed writes of the kinds the rules read).\n';
  const rows = [...causes].sort(([, a], [, b]) => Date.parse(b.time) - Date.parse(a.time)).slice(0, shownChanges);
  const more = causes.size - rows.length;
  return [
    `Changes (the latest write of each object the rules read, newest first):`,
    columns([['OBJECT', 'VERB', 'BY', 'WITH', 'FROM', 'AT'], ...rows.map(([key, cause]) => changeLine(key, cause))]),
    ...(more > 0 ? [`… and ${more} more objects`] : []),
    '',
  ].join('\n');
}

function render(options: AuditOptions, report: ScanReport, result: DetectResult, causes: Map<string, Cause>, color: boolean): string {
  if (options.format === 'json') return renderJson(report);
  if (options.format === 'sarif') return renderSarif(report, periscopeVersion(), {});
  const findings = renderTable(report, { color });
  const errors = result.errors.map((error) => `  ${printable(`${error.detectionId ?? 'baseline'}${error.auditID ? ` on ${error.auditID}` : ''}: ${error.message}`)}`);
  return [findings, changesTable(causes), ...(errors.length > 0 ? ['Detection errors:', ...errors, ''] : [])].join('\n');
}

function listDetections(): string {
  const rows = detections.map((d) => [d.id, d.meta.severity, (d.meta.frameworks['owasp-k8s-2022'] ?? []).join(', '), d.meta.title]);
  return `${columns([['ID', 'SEVERITY', 'OWASP', 'TITLE'], ...rows])}\n\n${detections.length} event detections (periscope audit -f <log>).\n`;
}

/** Reads the log, runs the detections, writes the report; returns the exit code. */
export async function audit(options: AuditOptions): Promise<number> {
  if (options.listDetections) {
    await writeReport(listDetections(), options.output);
    return exitCodes.ok;
  }
  if (options.file === undefined) throw new CliError('nothing to read: give the audit log with -f <file> (or -f - for standard input)');
  const cluster = clusterOf(options);
  const settings = settingsOf(options);
  const log = await readLog(options.file);
  const result = await detect(log.events, { clusterId: cluster.id, settings });
  const causes = causesByObject(log.events);
  const report: ScanReport = {
    cluster,
    scannedAt: new Date().toISOString(),
    coverage: {},
    findings: result.findings,
    rules: detectionCatalogue,
  };
  const toFile = options.output !== undefined && options.output !== '-';
  await writeReport(render(options, report, result, causes, !toFile && useColor()), options.output);

  const where = options.file === '-' ? 'standard input' : options.file;
  for (const error of log.errors) warn(`${where}: ${error.where}: ${error.error}`);
  for (const error of result.errors) warn(`${error.detectionId ?? 'baseline'}${error.auditID ? ` on audit event ${error.auditID}` : ''}: ${error.message}`);
  if (toFile) warn(`wrote the ${options.format} report to ${options.output}: ${result.findings.length} findings from ${log.read} audit events`);
  if (log.errorCount > 0) {
    const more = log.errorCount - log.errors.length;
    warn(`${log.errorCount} line${log.errorCount === 1 ? ' was' : 's were'} not audit events${more > 0 ? ` (${more} not shown)` : ''}; ${log.read} audit event${log.read === 1 ? '' : 's'} judged`);
    return exitCodes.error;
  }
  if (log.read === 0) {
    warn(`${where} holds no audit events`);
    return exitCodes.error;
  }
  const threshold = options.failOn;
  if (threshold && result.findings.some((finding) => atLeast(finding.severity, threshold))) return exitCodes.findings;
  return exitCodes.ok;
}

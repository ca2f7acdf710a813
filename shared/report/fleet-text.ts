// The fleet views as text: an aligned table for a terminal, CSV (RFC 4180, formula-safe) for a spreadsheet, JSON
// for tools. Everything shown comes from the store, so names and messages are escaped for the terminal.
import type { FleetClusterRow, FleetFindingRow, FleetFindingsResult, FleetInventory } from '../model/fleet.ts';
import { columns } from './catalogue.ts';
import { printable } from './table.ts';

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled. Text a spreadsheet
 * would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'` first
 * (OWASP CSV injection); numbers are written as they are. */
export function csvField(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csv(header: readonly string[], rows: readonly (readonly (string | number | boolean | undefined)[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Columns padded to their widest cell, every cell escaped for the terminal. */
function aligned(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return `${columns([header, ...rows].map((row) => row.map(printable)))}\n`;
}

const minute = (iso: string | undefined): string => (iso ? iso.slice(0, 16).replace('T', ' ') : 'never');

export function supportText(row: Pick<FleetClusterRow, 'support'>): string {
  const { phase, daysLeft, endOfStandardSupport, endOfExtendedSupport } = row.support;
  if (phase === 'standard') return `standard to ${endOfStandardSupport} (${daysLeft} d)`;
  if (phase === 'extended') return `EXTENDED to ${endOfExtendedSupport} (${daysLeft} d)`;
  if (phase === 'unsupported') return endOfExtendedSupport ? `UNSUPPORTED since ${endOfExtendedSupport}` : 'UNSUPPORTED';
  return '?';
}

function scanText(row: FleetClusterRow): string {
  const parts: string[] = [row.deleted ? 'deleted' : row.lastScanResult];
  if (row.stale && row.lastScanResult !== 'never') parts.push('stale');
  return parts.join(', ');
}

function problemsText(row: FleetClusterRow): string {
  const problems = row.coverageProblems.map((p) => (p.error ? `${p.kind}: ${p.error}` : `${p.kind} incomplete`));
  if (row.lastScanError) problems.unshift(row.lastScanError);
  return problems.join('; ');
}

export function renderFleetTable(inventory: Pick<FleetInventory, 'since'>, rows: readonly FleetClusterRow[]): string {
  if (rows.length === 0) return 'No clusters in the store yet: scan one first.\n';
  const header = ['CLUSTER', 'ACCOUNT', 'REGION', 'VERSION', 'SUPPORT', 'LAST SCAN', 'SCAN', 'CRIT', 'HIGH', 'MED', 'LOW', 'PATHS', 'SUPPR', '+OPENED', '-RESOLVED', 'RISK', 'PROBLEMS'];
  const body = rows.map((r) => [
    r.name, r.accountId ?? '-', r.region ?? '-', r.version ?? '-', supportText(r), minute(r.lastScanAt), scanText(r),
    String(r.open.critical), String(r.open.high), String(r.open.medium), String(r.open.low), String(r.attackPaths), String(r.suppressed),
    String(r.trend.opened), String(r.trend.resolved), String(r.risk), problemsText(r),
  ]);
  const totals = rows.reduce((sum, r) => ({ open: sum.open + r.openTotal, opened: sum.opened + r.trend.opened, resolved: sum.resolved + r.trend.resolved }), { open: 0, opened: 0, resolved: 0 });
  return `${aligned(header, body)}\n${rows.length} cluster${rows.length === 1 ? '' : 's'}, ${totals.open} open findings; since ${minute(inventory.since)}: ` +
    `${totals.opened} opened, ${totals.resolved} resolved.\n`;
}

export const fleetCsvHeader = [
  'cluster_id', 'name', 'account_id', 'region', 'version', 'support_phase', 'end_of_standard_support', 'end_of_extended_support',
  'support_days_left', 'last_scan_at', 'last_scan_result', 'stale', 'deleted', 'critical', 'high', 'medium', 'low', 'info', 'open',
  'attack_paths', 'suppressed', 'opened_in_window', 'resolved_in_window', 'scans_in_window', 'failed_scans_in_window', 'risk',
  'coverage_problems', 'last_scan_error',
] as const;

export function renderFleetCsv(rows: readonly FleetClusterRow[]): string {
  return csv(fleetCsvHeader, rows.map((r) => [
    r.clusterId, r.name, r.accountId, r.region, r.version, r.support.phase, r.support.endOfStandardSupport, r.support.endOfExtendedSupport,
    r.support.daysLeft, r.lastScanAt, r.lastScanResult, r.stale, r.deleted, r.open.critical, r.open.high, r.open.medium, r.open.low,
    r.open.info, r.openTotal, r.attackPaths, r.suppressed, r.trend.opened, r.trend.resolved, r.trend.scans, r.trend.failedScans, r.risk,
    r.coverageProblems.map((p) => (p.error ? `${p.kind}: ${p.error}` : p.kind)).join('; '), r.lastScanError,
  ]));
}

export function renderFleetJson(inventory: FleetInventory, rows: readonly FleetClusterRow[]): string {
  return `${JSON.stringify({ at: inventory.at, since: inventory.since, clusters: rows, errors: inventory.errors }, null, 2)}\n`;
}

export function resourceText(f: FleetFindingRow): string {
  return `${f.kind}/${f.name}${f.container ? `[${f.container}]` : ''}`;
}

export function renderFindingsTable(result: FleetFindingsResult): string {
  if (result.findings.length === 0) return `No ${result.query.status} findings match.\n`;
  const header = ['SEVERITY', 'CLUSTER', 'RULE', 'NAMESPACE', 'RESOURCE', 'STATUS', 'CHANGED', 'MESSAGE'];
  const body = result.findings.map((f) => [
    f.severity, f.clusterName, f.ruleId, f.namespace ?? '-', resourceText(f), f.status.toLowerCase(), minute(f.changedAt),
    f.suppressionReason ? `${f.message} (suppressed: ${f.suppressionReason})` : f.message,
  ]);
  const clusters = new Set(result.findings.map((f) => f.clusterId)).size;
  return `${aligned(header, body)}\n${result.findings.length} ${result.query.status} finding${result.findings.length === 1 ? '' : 's'} on ${clusters} cluster${clusters === 1 ? '' : 's'}.\n`;
}

export const findingsCsvHeader = [
  'cluster_id', 'cluster', 'account_id', 'region', 'severity', 'rule_id', 'status', 'namespace', 'kind', 'name', 'container', 'message',
  'frameworks', 'first_seen_at', 'last_seen_at', 'changed_at', 'resolved_at', 'suppression_reason', 'fingerprint',
] as const;

export function renderFindingsCsv(result: FleetFindingsResult): string {
  return csv(findingsCsvHeader, result.findings.map((f) => [
    f.clusterId, f.clusterName, f.accountId, f.region, f.severity, f.ruleId, f.status, f.namespace, f.kind, f.name, f.container, f.message,
    f.frameworks.join(' '), f.firstSeenAt, f.lastSeenAt, f.changedAt, f.resolvedAt, f.suppressionReason, f.fingerprint,
  ]));
}

export function renderFindingsJson(result: FleetFindingsResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

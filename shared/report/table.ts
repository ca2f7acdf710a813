// The human report: findings grouped by rule (a category to burn down), then the counts and what was not checked.
import { severities, type Finding, type Severity, type Suppression } from '../model/finding.ts';
import {
  coverageSummaryOf,
  formatInputError,
  incompleteText,
  resourceLabel,
  ruleOf,
  summarize,
  titleOf,
  type ScanReport,
} from './scan-report.ts';

export interface TableOptions {
  /** ANSI colours; the CLI turns them on only for a terminal without NO_COLOR. */
  color?: boolean;
  /** Resources listed per rule before "… and N more". */
  maxResources?: number;
  /** Distinct messages shown per rule. */
  maxMessages?: number;
  /** Suppression reasons listed, and resources listed per reason. */
  maxSuppressedReasons?: number;
  maxSuppressedResources?: number;
}

const codes = { bold: 1, dim: 2, red: 31, yellow: 33, cyan: 36, magenta: 35 } as const;
type Style = keyof typeof codes;

const severityStyle: Record<Severity, Style[]> = {
  critical: ['bold', 'magenta'],
  high: ['bold', 'red'],
  medium: ['yellow'],
  low: ['cyan'],
  info: ['dim'],
};

export interface RuleGroup {
  ruleId: string;
  title: string;
  severity: Severity;
  open: Finding[];
  suppressed: number;
}

/** OPEN findings grouped by rule, most severe group first; rules with only suppressed findings are counted, not listed. */
export function groupByRule(findings: readonly Finding[], report: Pick<ScanReport, 'rules'>): RuleGroup[] {
  const groups = new Map<string, RuleGroup>();
  for (const finding of findings) {
    if (finding.status === 'RESOLVED') continue;
    let group = groups.get(finding.ruleId);
    if (!group) {
      group = { ruleId: finding.ruleId, title: titleOf(report, finding.ruleId), severity: finding.severity, open: [], suppressed: 0 };
      groups.set(finding.ruleId, group);
    }
    if (finding.status === 'SUPPRESSED') {
      group.suppressed += 1;
      continue;
    }
    group.open.push(finding);
    group.severity = group.open.length === 1 ? finding.severity : minSeverity(group.severity, finding.severity);
  }
  return [...groups.values()]
    .filter((group) => group.open.length > 0)
    .sort((a, b) => rank(a.severity) - rank(b.severity) || b.open.length - a.open.length || a.ruleId.localeCompare(b.ruleId));
}

export interface SuppressedGroup {
  reason: string;
  source: Suppression['source'];
  owner?: string;
  exceptionId?: string;
  expiresAt?: string;
  count: number;
  /** Distinct resource labels, in the findings' order. */
  resources: string[];
}

/** SUPPRESSED findings grouped by why (reason, source, owner, exception), largest group first. */
function groupSuppressed(findings: readonly Finding[]): SuppressedGroup[] {
  const groups = new Map<string, SuppressedGroup>();
  for (const finding of findings) {
    const suppression = finding.suppression;
    if (finding.status !== 'SUPPRESSED' || !suppression) continue;
    const key = JSON.stringify([suppression.reason, suppression.source, suppression.owner, suppression.exceptionId, suppression.expiresAt]);
    let group = groups.get(key);
    if (!group) {
      group = { reason: suppression.reason, source: suppression.source, count: 0, resources: [] };
      if (suppression.owner !== undefined) group.owner = suppression.owner;
      if (suppression.exceptionId !== undefined) group.exceptionId = suppression.exceptionId;
      if (suppression.expiresAt !== undefined) group.expiresAt = suppression.expiresAt;
      groups.set(key, group);
    }
    group.count += 1;
    const label = resourceLabel(finding.resource);
    if (!group.resources.includes(label)) group.resources.push(label);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function rank(severity: Severity): number {
  return severities.indexOf(severity);
}

function minSeverity(a: Severity, b: Severity): Severity {
  return rank(a) <= rank(b) ? a : b;
}

/** Names, messages and paths come from the cluster or the files: their control characters (terminal escapes, line
 * breaks) are shown as `\u001b`, never sent to the terminal. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function renderTable(report: ScanReport, options: TableOptions = {}): string {
  const maxResources = options.maxResources ?? 10;
  const maxMessages = options.maxMessages ?? 3;
  const paint = (text: string, ...styles: Style[]): string =>
    options.color && styles.length > 0 ? `\u001b[${styles.map((style) => codes[style]).join(';')}m${text}\u001b[0m` : text;
  const lines: string[] = [];

  lines.push(paint(`Periscope scan of ${printable(report.cluster.id)}`, 'bold') + paint(` at ${report.scannedAt}`, 'dim'), '');

  const coverage = coverageSummaryOf(report);
  if (!coverage.complete) {
    // First and loud: a scan that saw little must not read as a clean one.
    lines.push(paint(`INCOMPLETE SCAN: ${incompleteText(coverage)}; the findings below are not the whole picture.`, 'bold', 'red'));
    for (const { kind, reason } of coverage.unread) lines.push(`  ${printable(kind)}: ${printable(reason)}`);
    if (coverage.inputErrors > 0) lines.push('  (the input errors are listed at the end)');
    lines.push('');
  }
  const groups = groupByRule(report.findings, report);
  if (groups.length === 0) {
    lines.push(coverage.complete ? 'No open findings.' : 'No open findings in what could be read: that is not a clean scan.', '');
  }
  for (const group of groups) {
    const label = paint(group.severity.toUpperCase().padEnd(8), ...severityStyle[group.severity]);
    const counts = `${group.open.length} open${group.suppressed ? `, ${group.suppressed} suppressed` : ''}`;
    lines.push(`${label} ${paint(group.ruleId, 'bold')}  ${group.title}  (${counts})`);
    // One line per affected resource (a rule can find several things on one container).
    const resources = new Map<string, { finding: Finding; count: number }>();
    for (const finding of group.open) {
      const key = printable(resourceLabel(finding.resource));
      const seen = resources.get(key);
      if (seen) seen.count += 1;
      else resources.set(key, { finding, count: 1 });
    }
    const shown = [...resources].slice(0, maxResources).map(([label, { finding, count }]) => ({
      label: count > 1 ? `${label} (${count})` : label,
      where: finding.location ? printable(`${finding.location.file}:${finding.location.line}`) : '',
    }));
    const width = Math.max(...shown.map((entry) => entry.label.length));
    for (const entry of shown) lines.push(`  ${entry.label.padEnd(width)}  ${paint(entry.where, 'dim')}`.trimEnd());
    if (resources.size > maxResources) lines.push(paint(`  … and ${resources.size - maxResources} more resources`, 'dim'));
    const messages = [...new Set(group.open.map((finding) => printable(finding.message)))];
    for (const message of messages.slice(0, maxMessages)) lines.push(`  - ${message}`);
    if (messages.length > maxMessages) lines.push(paint(`  - … ${plural(messages.length - maxMessages, 'more message')}`, 'dim'));
    const remediation = ruleOf(report, group.ruleId)?.meta.remediation;
    if (remediation) lines.push(`  ${paint('Fix:', 'bold')} ${remediation.replace(/\s+/g, ' ')}`);
    lines.push('');
  }

  const suppressedGroups = groupSuppressed(report.findings);
  if (suppressedGroups.length > 0) {
    const maxReasons = options.maxSuppressedReasons ?? 10;
    const maxSuppressedResources = options.maxSuppressedResources ?? 3;
    lines.push(paint('Suppressed findings, by reason:', 'bold'));
    for (const group of suppressedGroups.slice(0, maxReasons)) {
      const origin = [
        group.source + (group.exceptionId ? ` ${group.exceptionId}` : ''),
        ...(group.owner ? [`owner ${group.owner}`] : []),
        ...(group.expiresAt ? [`expires ${group.expiresAt}`] : []),
      ].join(', ');
      const shown = group.resources.slice(0, maxSuppressedResources).map(printable);
      const more = group.resources.length > maxSuppressedResources ? `, … and ${group.resources.length - maxSuppressedResources} more` : '';
      lines.push(`  ${group.count} × ${printable(group.reason.replace(/\s+/g, ' '))} ${paint(`(${printable(origin)})`, 'dim')}: ${shown.join(', ')}${more}`);
    }
    if (suppressedGroups.length > maxReasons) {
      lines.push(paint(`  … and ${plural(suppressedGroups.length - maxReasons, 'more reason')} (the JSON and HTML reports list them all)`, 'dim'));
    }
    lines.push('');
  }

  const { bySeverity, suppressed } = summarize(report.findings);
  const bySeverityText = severities.map((severity) => paint(`${bySeverity[severity]} ${severity}`, ...(bySeverity[severity] ? severityStyle[severity] : []))).join(', ');
  lines.push(`${paint('Open findings:', 'bold')} ${bySeverityText}`);
  lines.push(`${paint('Suppressed:', 'bold')} ${suppressed}`);
  if (report.lifecycle) {
    const { opened, resolved, unchanged } = report.lifecycle;
    lines.push(`${paint('Since the last scan:', 'bold')} ${opened} opened, ${resolved} resolved, ${unchanged} unchanged`);
  }
  const unchecked = Object.entries(report.uncheckedKinds ?? {}).filter(([, count]) => count > 0);
  if (unchecked.length > 0) {
    const text = printable(unchecked.map(([kind, count]) => `${kind} (${count})`).join(', '));
    lines.push(`${paint('Not checked', 'bold')} (no rule targets these kinds): ${text}`);
  }
  const skippedByReason = new Map<string, string[]>();
  for (const skip of report.skipped ?? []) skippedByReason.set(skip.reason, [...(skippedByReason.get(skip.reason) ?? []), skip.ruleId]);
  for (const [reason, ruleIds] of skippedByReason) {
    lines.push(`${paint('Not run', 'bold')} (${reason}): ${[...new Set(ruleIds)].join(', ')}`);
  }
  for (const { kind, reason } of coverage.skipped) lines.push(`${paint('Not read', 'bold')} (by configuration): ${printable(kind)}: ${printable(reason)}`);
  const errors = report.inputErrors ?? [];
  if (errors.length > 0) {
    lines.push(paint(`Input errors: ${errors.length} (the rest of the input was scanned)`, 'bold', 'red'));
    for (const error of errors) lines.push(`  ${printable(formatInputError(error))}`);
  }
  return lines.join('\n') + '\n';
}

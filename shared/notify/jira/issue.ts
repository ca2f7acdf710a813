// What a Periscope ticket says: its settings, how findings become ticket groups (rule × cluster, or one finding),
// and the issue and comment bodies (what and why, affected resources, the fix as JSON Patch and kubectl patch).
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { frameworkById } from '../../engine/frameworks.ts';
import { describeGitOpsSource } from '../../engine/gitops.ts';
import { atLeast, describeCause, severitySchema, type Finding, type Severity } from '../../model/finding.ts';
import {
  clusterLabel,
  clusterLink,
  groupByRule,
  resourceLabel,
  ruleInfoOf,
  ruleLink,
  type EventCluster,
  type RuleCatalogue,
  type RuleInfo,
} from '../digest.ts';
import type { Block, Doc, Inline } from './document.ts';

const jiraFlavours = ['cloud', 'data-center'] as const;
export type JiraFlavour = (typeof jiraFlavours)[number];

const defaultPriorities: Record<Severity, string> = {
  critical: 'Highest',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Lowest',
};

/** How tickets are made; everything but the project has a default. */
export const jiraSettingsSchema = z.object({
  flavour: z.enum(jiraFlavours).default('cloud'),
  projectKey: z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key, like SEC'),
  issueType: z.string().min(1).default('Task'),
  /** Labels on every ticket, besides the group's fingerprint label. */
  labels: z.array(z.string().regex(/^\S+$/, 'Jira labels have no spaces')).default(['periscope']),
  /** Jira priority name by severity; a severity left out sets no priority. */
  priorities: z.partialRecord(severitySchema, z.string().min(1)).default(defaultPriorities),
  /** Transition to take when every resource is fixed (matched by name, else the first into a done status). */
  doneTransition: z.string().min(1).default('Done'),
  /** Transition to take when a closed group gets new resources (else the first out of done). */
  reopenTransition: z.string().min(1).default('Reopen'),
  /** Findings below this severity get no ticket. */
  minSeverity: severitySchema.default('high'),
  /** Severities that get one ticket per finding instead of one per rule × cluster. */
  perFindingSeverities: z.array(severitySchema).default([]),
  /** Resources listed in a ticket's table before "and N more". */
  maxResources: z.number().int().min(1).max(500).default(50),
  /** Resources whose fix is spelled out (JSON Patch and kubectl) in the description. */
  maxFixes: z.number().int().min(0).max(20).default(3),
  links: z.object({ clusterUrl: z.string().optional(), docsUrl: z.string().optional() }).default({}),
});
export type JiraSettings = z.output<typeof jiraSettingsSchema>;
export type JiraSettingsInput = z.input<typeof jiraSettingsSchema>;

export function jiraSettings(input: JiraSettingsInput): JiraSettings {
  return jiraSettingsSchema.parse(input);
}

/** The findings one ticket tracks. `key` names the ticket item: the rule id, or `<rule>#<fingerprint>`. */
export interface TicketGroup {
  key: string;
  rule: RuleInfo;
  severity: Severity;
  /** Open findings at or above the threshold; empty when everything was fixed. */
  findings: Finding[];
  perFinding: boolean;
  /** The label that ties the Jira issue to this group (`periscope-<hash>`). */
  label: string;
}

/** A stable, space-free label per cluster × group: the fallback lookup key in Jira (JQL `labels = ...`). */
export function groupLabel(clusterId: string, key: string): string {
  return `periscope-${createHash('sha256').update(`${clusterId}\u0000${key}`).digest('hex').slice(0, 20)}`;
}

function ruleIdOfKey(key: string): string {
  return key.split('#')[0] ?? key;
}

/** The groups of a cluster's open findings at or above the threshold, attack paths first. */
export function ticketGroupsOf(
  clusterId: string,
  findings: readonly Finding[],
  settings: JiraSettings,
  catalogue: RuleCatalogue,
): TicketGroup[] {
  const open = findings.filter((f) => f.status === 'OPEN' && atLeast(f.severity, settings.minSeverity));
  const groups: TicketGroup[] = [];
  for (const byRule of groupByRule(open, catalogue)) {
    const perFinding = byRule.items.filter((f) => settings.perFindingSeverities.includes(f.severity));
    const grouped = byRule.items.filter((f) => !settings.perFindingSeverities.includes(f.severity));
    if (grouped.length > 0) {
      const key = byRule.rule.id;
      const severity = grouped.reduce<Severity>((w, f) => (atLeast(f.severity, w) ? f.severity : w), 'info');
      groups.push({ key, rule: byRule.rule, severity, findings: sortFindings(grouped), perFinding: false, label: groupLabel(clusterId, key) });
    }
    for (const finding of sortFindings(perFinding)) {
      const key = `${finding.ruleId}#${finding.fingerprint}`;
      groups.push({ key, rule: byRule.rule, severity: finding.severity, findings: [finding], perFinding: true, label: groupLabel(clusterId, key) });
    }
  }
  return groups;
}

/** A group with nothing open any more (its ticket is to be closed). */
export function emptyGroup(clusterId: string, key: string, catalogue: RuleCatalogue): TicketGroup {
  const rule = ruleInfoOf(catalogue, ruleIdOfKey(key));
  return { key, rule, severity: rule.severity, findings: [], perFinding: key.includes('#'), label: groupLabel(clusterId, key) };
}

function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => resourceLabel(a.resource).localeCompare(resourceLabel(b.resource)) || a.fingerprint.localeCompare(b.fingerprint));
}

// ── Bodies ─────────────────────────────────────────────────────────────────────────────────────────────────

export interface IssueContent {
  summary: string;
  labels: string[];
  /** The label (one of `labels`) that names the group: a create whose answer was lost looks the issue up by it. */
  claimLabel?: string;
  priority?: string;
  description: Doc;
}

const text = (t: string, marks: Omit<Inline, 'text'> = {}): Inline => ({ text: t, ...marks });
const paragraph = (...content: Inline[]): Block => ({ type: 'paragraph', content });

function resourceTable(findings: readonly Finding[], max: number): Block[] {
  const rows = findings
    .slice(0, max)
    .map((f) => [f.resource.kind, f.resource.namespace ?? '', f.resource.name, f.resource.container ?? '', f.cause ? `${f.message} (${describeCause(f.cause) ?? ''})` : f.message]);
  const blocks: Block[] = [{ type: 'table', header: ['Kind', 'Namespace', 'Name', 'Container', 'Finding'], rows }];
  if (findings.length > max) blocks.push(paragraph(text(`…and ${findings.length - max} more (the full list is in Periscope).`)));
  return blocks;
}

/** Quotes a string for a POSIX shell. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The `kubectl patch` equivalent of a finding's JSON Patch, or undefined for objects kubectl cannot patch. */
export function kubectlPatchCommand(finding: Finding): string | undefined {
  if (!finding.fix || finding.fix.patch.length === 0) return undefined;
  const { kind, name, namespace } = finding.resource;
  if (kind === 'EKSCluster') return undefined;
  // Names come from the cluster (or any manifest file): quoted unless plainly safe, so a pasted command runs nothing else.
  const arg = (value: string): string => (/^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(value) ? value : shellQuote(value));
  const ns = namespace ? ` -n ${arg(namespace)}` : '';
  return `kubectl patch ${arg(kind.toLowerCase())} ${arg(name)}${ns} --type=json -p ${shellQuote(JSON.stringify(finding.fix.patch))}`;
}

function fixBlocks(group: TicketGroup, maxFixes: number): Block[] {
  const blocks: Block[] = [{ type: 'heading', level: 2, text: 'Fix' }, paragraph(text(group.rule.remediation))];
  const fixable = group.findings.filter((f) => f.fix && f.fix.patch.length > 0);
  for (const finding of fixable.slice(0, maxFixes)) {
    blocks.push(paragraph(text(resourceLabel(finding.resource), { strong: true }), text(`: ${finding.fix?.description ?? ''}`)));
    if (finding.gitops) {
      blocks.push(paragraph(text('Fix it at the source:', { strong: true }), text(` ${describeGitOpsSource(finding.gitops)}; a patch in the cluster lasts until its next sync.`)));
    }
    blocks.push({ type: 'code', language: 'json', text: JSON.stringify(finding.fix?.patch ?? [], null, 2) });
    const command = kubectlPatchCommand(finding);
    if (command) blocks.push({ type: 'code', language: 'shell', text: command });
  }
  if (fixable.length > maxFixes) {
    blocks.push(paragraph(text(`The other ${fixable.length - maxFixes} resources take the same kind of patch; Periscope's JSON report has each one.`)));
  }
  if (fixable.length > 0) {
    blocks.push(paragraph(text('Apply the change to the manifests or chart that deploy these objects; patching the cluster directly only lasts until the next deployment.')));
  }
  return blocks;
}

function referenceBlocks(group: TicketGroup, settings: JiraSettings): Block[] {
  const items: Inline[][] = Object.entries(group.rule.frameworks)
    .filter(([, ids]) => ids.length > 0)
    .map(([id, ids]) => [text(`${frameworkById(id)?.title ?? id}: `), text(ids.join(', '), { code: true })]);
  const docs = ruleLink(settings.links, group.rule.id);
  items.push(docs ? [text('Rule '), text(group.rule.id, { code: true, href: docs })] : [text('Rule '), text(group.rule.id, { code: true })]);
  return [{ type: 'heading', level: 2, text: 'References' }, { type: 'bullets', items }];
}

function clusterInline(cluster: EventCluster, settings: JiraSettings): Inline {
  const href = clusterLink(settings.links, cluster);
  return href ? text(clusterLabel(cluster), { href }) : text(clusterLabel(cluster));
}

const maxSummary = 240;

export function issueContent(group: TicketGroup, cluster: EventCluster, settings: JiraSettings): IssueContent {
  const subject = group.perFinding && group.findings[0] ? `${group.rule.title}: ${resourceLabel(group.findings[0].resource)}` : group.rule.title;
  const summary = `[Periscope] ${subject} on ${cluster.name}`;
  const count = group.findings.length;
  const description: Doc = [
    paragraph(
      text('What: ', { strong: true }),
      text(`${group.rule.title} — ${count} ${count === 1 ? 'resource' : 'resources'} on cluster `),
      clusterInline(cluster, settings),
      text('. Severity '),
      text(group.severity, { strong: true }),
      text('.'),
    ),
    { type: 'heading', level: 2, text: 'Why it matters' },
    paragraph(text(group.rule.description)),
    { type: 'heading', level: 2, text: `Affected resources (${count})` },
    ...resourceTable(group.findings, settings.maxResources),
    ...fixBlocks(group, settings.maxFixes),
    ...referenceBlocks(group, settings),
    paragraph(
      text(`Opened by Periscope. The label ${group.label} ties this ticket to its findings: keep it. Periscope comments when resources are added or fixed, closes the ticket when all are fixed and reopens it if they come back.`),
    ),
  ];
  const content: IssueContent = {
    summary: summary.length > maxSummary ? `${summary.slice(0, maxSummary - 1)}…` : summary,
    labels: [...new Set([...settings.labels, group.label])],
    claimLabel: group.label,
    description,
  };
  const priority = settings.priorities[group.severity];
  if (priority) content.priority = priority;
  return content;
}

export interface GroupChange {
  added: Finding[];
  /** Fixed resources, named when the store still has their findings. */
  fixed: { fingerprint: string; finding?: Finding }[];
  scanId: string;
  remaining: number;
}

function fixedItems(change: GroupChange): Inline[][] {
  return change.fixed.map((f) => [text(f.finding ? resourceLabel(f.finding.resource) : `finding ${f.fingerprint}`)]);
}

/** New and fixed resources of a group that stays open. */
export function changeComment(change: GroupChange, settings: JiraSettings): Doc {
  const doc: Doc = [paragraph(text(`Periscope scan ${change.scanId}: `), text(`${change.remaining} affected now.`, { strong: true }))];
  if (change.added.length > 0) {
    doc.push({ type: 'heading', level: 3, text: `New (${change.added.length})` }, ...resourceTable(change.added, settings.maxResources));
  }
  if (change.fixed.length > 0) {
    doc.push({ type: 'heading', level: 3, text: `Fixed (${change.fixed.length})` }, { type: 'bullets', items: fixedItems(change).slice(0, settings.maxResources) });
  }
  return doc;
}

/** Every resource fixed: the ticket is closed. */
export function resolvedComment(change: GroupChange, settings: JiraSettings): Doc {
  const doc: Doc = [paragraph(text(`Periscope scan ${change.scanId}: `), text('every affected resource is fixed.', { strong: true }), text(' Closing this ticket.'))];
  if (change.fixed.length > 0) doc.push({ type: 'bullets', items: fixedItems(change).slice(0, settings.maxResources) });
  return doc;
}

/** Resources came back after the ticket was closed. */
export function reopenedComment(change: GroupChange, settings: JiraSettings): Doc {
  return [
    paragraph(text(`Periscope scan ${change.scanId}: `), text(`reopened — ${change.added.length} affected again.`, { strong: true })),
    ...resourceTable(change.added, settings.maxResources),
  ];
}


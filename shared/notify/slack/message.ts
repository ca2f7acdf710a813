// The Slack message of a scan digest: Block Kit within Slack's limits, the largest digests cut with "and N more".
import { severities, type Severity } from '../../model/finding.ts';
import { isAttackPath, resourceLabel, type BaselineDigest, type DigestGroup, type FindingsDigest, type ScanDigest } from '../digest.ts';

/** Slack's Block Kit limits for messages (reference/aws-eks-facts.md §7). */
export const slackLimits = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  contextText: 2000,
  messageText: 40_000,
  /** Slack rejects large block payloads (`msg_blocks_too_long`) well below the per-block limits; stay under. */
  blocksTotalText: 11_000,
} as const;

export interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  emoji?: boolean;
}

export type SlackBlock =
  | { type: 'header'; text: TextObject & { type: 'plain_text' } }
  | { type: 'section'; text: TextObject }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' };

export interface SlackMessage {
  /** The notification and accessibility fallback; Slack wants it even with blocks. */
  text: string;
  blocks: SlackBlock[];
  unfurl_links: false;
  unfurl_media: false;
}

export interface SlackMessageOptions {
  /** Resources named per rule before "and N more" (default 5). */
  resourcesPerRule?: number;
  /** The latest fleet report, presigned when the message is built (pipeline/fleet-report.ts). */
  fleetReport?: { url: string; generatedAt: string; expiresAt: string };
}

/** `Fleet report (16:00 UTC; link valid until 04:00 UTC)`, or nothing for a URL that is not plain http(s). */
function fleetReportText(report: SlackMessageOptions['fleetReport']): string[] {
  if (!report || !/^https?:\/\/[^\s<>|]+$/.test(report.url)) return [];
  const time = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  return [`:bar_chart: ${link(report.url, 'Fleet report')} (${escapeMrkdwn(time(report.generatedAt))}; link valid until ${escapeMrkdwn(time(report.expiresAt))})`];
}

const severityEmoji: Record<Severity, string> = {
  critical: ':red_circle:',
  high: ':large_orange_circle:',
  medium: ':large_yellow_circle:',
  low: ':white_circle:',
  info: ':information_source:',
};

/** Slack mrkdwn needs only these three escaped. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text for inside a `code span`: a backtick or a line break would end the span and let the rest render as mrkdwn. */
function codeSpan(text: string): string {
  return `\`${escapeMrkdwn(text).replace(/`/g, 'ˋ').replace(/[\r\n]+/g, ' ')}\``;
}

function link(url: string | undefined, label: string): string {
  return url ? `<${url}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>` : escapeMrkdwn(label);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function header(text: string): SlackBlock {
  return { type: 'header', text: { type: 'plain_text', text: cut(text, slackLimits.headerText), emoji: true } };
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: cut(text, slackLimits.sectionText) } };
}

function context(texts: readonly string[]): SlackBlock {
  return {
    type: 'context',
    elements: texts.slice(0, slackLimits.contextElements).map((text) => ({ type: 'mrkdwn', text: cut(text, slackLimits.contextText) })),
  };
}

function severityCounts(open: Record<Severity, number>): string {
  const parts = severities.filter((s) => open[s] > 0).map((s) => `${open[s]} ${s}`);
  return parts.length > 0 ? parts.join(' · ') : 'none';
}

function thresholdLabel(minSeverity: Severity): string {
  const at = severities.slice(0, severities.indexOf(minSeverity) + 1);
  return at.length === 1 ? at[0] ?? minSeverity : at.join('/');
}

function groupText(group: DigestGroup, resourcesPerRule: number): string {
  const title = `${isAttackPath(group.rule) ? ':rotating_light: *Attack path:* ' : ''}*${link(group.docsUrl, group.rule.title)}*`;
  const lines = [`${severityEmoji[group.severity]} ${title}  ·  \`${group.severity}\`  ·  ${group.count} new`];
  for (const resource of group.resources.slice(0, resourcesPerRule)) lines.push(`• ${codeSpan(resourceLabel(resource))}`);
  const more = group.count - Math.min(group.resources.length, resourcesPerRule);
  if (more > 0) lines.push(`_…and ${more} more_`);
  for (const cause of group.causes ?? []) lines.push(`_${escapeMrkdwn(cause)}_`);
  const head = lines.join('\n');
  const fix = `\n*Fix:* ${escapeMrkdwn(group.rule.remediation)}`;
  return head.length + fix.length <= slackLimits.sectionText ? head + fix : cut(head + fix, slackLimits.sectionText);
}

/** Kinds named in the coverage warning before "and N more". */
const unreadShown = 5;

/** The warning of a scan that could not read everything, or nothing when it read it all. */
function coverageBlocks(digest: ScanDigest): SlackBlock[] {
  const incomplete = digest.incomplete;
  if (!incomplete) return [];
  const { unread, kinds } = incomplete;
  const lines = [
    `:warning: *Incomplete scan:* ${unread.length} of ${kinds} kinds could not be read completely, so these findings are not the whole picture; none of their findings was resolved.`,
    ...unread.slice(0, unreadShown).map(({ kind, reason }) => `• ${codeSpan(kind)}: ${escapeMrkdwn(cut(reason.replace(/\s+/g, ' '), 300))}`),
  ];
  if (unread.length > unreadShown) lines.push(`_…and ${unread.length - unreadShown} more_`);
  return [section(lines.join('\n'))];
}

function textLength(block: SlackBlock): number {
  switch (block.type) {
    case 'header':
    case 'section':
      return block.text.text.length;
    case 'context':
      return block.elements.reduce((sum, e) => sum + e.text.length, 0);
    case 'divider':
      return 0;
  }
}

function findingsMessage(digest: FindingsDigest, options: SlackMessageOptions): SlackMessage {
  const resourcesPerRule = options.resourcesPerRule ?? 5;
  const newCount = digest.listed + digest.unlisted;
  const threshold = thresholdLabel(digest.minSeverity);
  const title =
    newCount === 0 && digest.incomplete
      ? `incomplete scan of ${digest.cluster.name}`
      : `${newCount} new ${threshold} ${newCount === 1 ? 'finding' : 'findings'} on ${digest.cluster.name}`;
  const facts = [
    `*Cluster:* ${link(digest.clusterUrl, digest.clusterLabel)}`,
    `*Open now:* ${severityCounts(digest.open)}`,
  ];
  if (digest.resolved > 0) facts.push(`:white_check_mark: ${plural(digest.resolved, 'finding')} resolved`);
  facts.push(`Scan ${codeSpan(digest.scanId)}`, ...fleetReportText(options.fleetReport));
  const blocks: SlackBlock[] = [header(`Periscope: ${title}`), context(facts), ...coverageBlocks(digest), { type: 'divider' }];

  // One block stays free for the "and N more" line; the text budget keeps Slack from refusing a large payload.
  const budgetBlocks = slackLimits.blocks - 1;
  let used = blocks.reduce((sum, b) => sum + textLength(b), 0);
  let shown = 0;
  for (const group of digest.groups) {
    const block = section(groupText(group, resourcesPerRule));
    if (blocks.length >= budgetBlocks || used + textLength(block) > slackLimits.blocksTotalText - 300) break;
    blocks.push(block);
    used += textLength(block);
    shown += 1;
  }
  const hiddenGroups = digest.groups.slice(shown);
  const hiddenFindings = hiddenGroups.reduce((sum, g) => sum + g.count, 0);
  const tail: string[] = [];
  if (hiddenGroups.length > 0) {
    tail.push(`…and ${plural(hiddenGroups.length, 'more rule')} with ${plural(hiddenFindings, 'new finding')}`);
  }
  if (digest.unlisted > 0) tail.push(`…and ${plural(digest.unlisted, 'more new finding')} not listed in the scan event`);
  if (tail.length > 0) blocks.push(context([`${tail.join('; ')}: see ${link(digest.clusterUrl, digest.cluster.name)}.`]));

  // The fallback is mrkdwn too (notifications, screen readers): escaped like the blocks.
  const fallback = escapeMrkdwn(`Periscope: ${title}${digest.resolved > 0 ? ` (${digest.resolved} resolved)` : ''}`);
  return { text: cut(fallback, slackLimits.messageText), blocks, unfurl_links: false, unfurl_media: false };
}

function baselineMessage(digest: BaselineDigest, options: SlackMessageOptions): SlackMessage {
  const threshold = thresholdLabel(digest.minSeverity);
  const suppressed = digest.suppressed > 0 ? ` (${digest.suppressed} suppressed)` : '';
  const summary =
    `First scan of *${link(digest.clusterUrl, digest.clusterLabel)}*: *${plural(digest.totalOpen, 'open finding')}*` +
    ` — ${severityCounts(digest.open)}${suppressed}.\n` +
    `No alert was sent for these. From now on only new ${threshold} findings are posted here.`;
  const blocks: SlackBlock[] = [header(`Periscope baseline: ${digest.cluster.name}`), section(summary), ...coverageBlocks(digest)];
  if (digest.topRules.length > 0) {
    const lines = digest.topRules.map(
      (r) => `• ${isAttackPath(r.rule) ? ':rotating_light: ' : ''}${link(r.docsUrl, r.rule.title)} — ${r.count} \`${r.severity}\``,
    );
    const scope = digest.topRulesComplete ? '' : ' (among the findings the scan event lists)';
    blocks.push(section(`*Where to start${scope}:*\n${lines.join('\n')}`));
  }
  blocks.push(context([`Scan ${codeSpan(digest.scanId)}`, ...fleetReportText(options.fleetReport)]));
  const text = escapeMrkdwn(`Periscope baseline for ${digest.cluster.name}: ${digest.totalOpen} open findings (${severityCounts(digest.open)})`);
  return { text, blocks, unfurl_links: false, unfurl_media: false };
}

/** The Slack message of a scan digest. Pure: the same digest gives the same JSON (golden-file tested). */
export function toSlackMessage(digest: ScanDigest, options: SlackMessageOptions = {}): SlackMessage {
  return digest.kind === 'baseline' ? baselineMessage(digest, options) : findingsMessage(digest, options);
}

/** Every way a message breaks Slack's limits (empty when it is fine); the receiver and the tests use it. */
export function blockKitViolations(message: { text?: unknown; blocks?: unknown }): string[] {
  const problems: string[] = [];
  if (typeof message.text !== 'string' || message.text.trim() === '') problems.push('no top-level text fallback');
  else if (message.text.length > slackLimits.messageText) problems.push(`text is ${message.text.length} chars (max ${slackLimits.messageText})`);
  if (message.blocks === undefined) return problems;
  if (!Array.isArray(message.blocks)) return [...problems, 'blocks is not an array'];
  if (message.blocks.length > slackLimits.blocks) problems.push(`${message.blocks.length} blocks (max ${slackLimits.blocks})`);
  let total = 0;
  message.blocks.forEach((raw: unknown, i) => {
    const block = raw as { type?: unknown; text?: { type?: unknown; text?: unknown }; elements?: unknown };
    const textOf = (t: { text?: unknown } | undefined): string => (typeof t?.text === 'string' ? t.text : '');
    switch (block.type) {
      case 'header': {
        const text = textOf(block.text);
        if (block.text?.type !== 'plain_text') problems.push(`block ${i}: header text must be plain_text`);
        if (text.length === 0 || text.length > slackLimits.headerText) problems.push(`block ${i}: header text is ${text.length} chars (1..${slackLimits.headerText})`);
        total += text.length;
        break;
      }
      case 'section': {
        const text = textOf(block.text);
        if (text.length === 0 || text.length > slackLimits.sectionText) problems.push(`block ${i}: section text is ${text.length} chars (1..${slackLimits.sectionText})`);
        total += text.length;
        break;
      }
      case 'context': {
        const elements = Array.isArray(block.elements) ? (block.elements as { text?: unknown }[]) : [];
        if (elements.length === 0 || elements.length > slackLimits.contextElements) problems.push(`block ${i}: context has ${elements.length} elements (1..${slackLimits.contextElements})`);
        for (const e of elements) {
          const text = textOf(e);
          if (text.length > slackLimits.contextText) problems.push(`block ${i}: context element is ${text.length} chars (max ${slackLimits.contextText})`);
          total += text.length;
        }
        break;
      }
      case 'divider':
        break;
      default:
        problems.push(`block ${i}: unsupported type ${String(block.type)}`);
    }
  });
  if (total > slackLimits.blocksTotalText) problems.push(`blocks carry ${total} chars of text (Slack refuses large payloads; keep under ${slackLimits.blocksTotalText})`);
  return problems;
}

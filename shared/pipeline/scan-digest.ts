// What one scan has to tell Slack: a quiet baseline on a cluster's first scan, otherwise its new findings at or
// above the threshold grouped by rule, or nothing. notify/slack renders the digest; this decides what is in it.
import { atLeast, describeCause, severities, type Severity } from '../model/finding.ts';
import type { FindingSummary, ScanCompleted } from '../model/pipeline.ts';
import { unreadKindsOf } from '../model/snapshot.ts';
import {
  clusterLabel,
  clusterLink,
  groupByRule,
  registryCatalogue,
  ruleLink,
  type DigestCommon,
  type NotifyLinks,
  type RuleCatalogue,
  type RuleInfo,
  type ScanDigest,
} from '../notify/digest.ts';

export interface DigestOptions {
  minSeverity: Severity;
  links?: NotifyLinks;
  catalogue?: RuleCatalogue;
  /** Top rules named in a baseline (default 5). */
  baselineTopRules?: number;
}

/** The distinct descriptions of the items' causes, when any has one. */
function causesOf(items: readonly FindingSummary[]): { causes?: string[] } {
  const causes = [...new Set(items.flatMap((item) => (item.cause ? [describeCause(item.cause) ?? ''] : [])))].filter(Boolean);
  return causes.length > 0 ? { causes } : {};
}

/**
 * What one scan has to say, or undefined when it has nothing to alert: a baseline on the first scan, otherwise
 * the new findings at or above the threshold grouped by rule; an incomplete scan always says so.
 */
export function scanDigestOf(event: ScanCompleted, options: DigestOptions): ScanDigest | undefined {
  const catalogue = options.catalogue ?? registryCatalogue;
  const links = options.links ?? {};
  const open = Object.fromEntries(severities.map((s) => [s, event.counts.open[s] ?? 0])) as Record<Severity, number>;
  const common: DigestCommon = {
    cluster: event.cluster,
    clusterLabel: clusterLabel(event.cluster),
    scanId: event.scanId,
    completedAt: event.completedAt,
    minSeverity: options.minSeverity,
    open,
  };
  const url = clusterLink(links, event.cluster);
  if (url) common.clusterUrl = url;
  const { unread } = unreadKindsOf(event.coverage);
  if (unread.length > 0) common.incomplete = { unread, kinds: Object.keys(event.coverage).length };
  const relevant = event.opened.filter((f) => atLeast(f.severity, options.minSeverity));
  const withDocs = <G extends { rule: RuleInfo }>(group: G): G => {
    const docsUrl = ruleLink(links, group.rule.id);
    return docsUrl ? { ...group, docsUrl } : group;
  };

  if (event.baseline) {
    const groups = groupByRule(relevant, catalogue);
    return {
      ...common,
      kind: 'baseline',
      totalOpen: severities.reduce((sum, s) => sum + open[s], 0),
      suppressed: event.counts.suppressed,
      topRules: groups
        .slice(0, options.baselineTopRules ?? 5)
        .map((g) => withDocs({ rule: g.rule, severity: g.severity, count: g.items.length })),
      topRulesComplete: !event.truncated,
    };
  }
  const unlisted = event.truncated ? Math.max(0, event.counts.opened - event.opened.length) : 0;
  // A scan that could not read everything is posted even with nothing new: silence would read as all clear.
  if (relevant.length === 0 && unlisted === 0 && !common.incomplete) return undefined;
  const groups = groupByRule<FindingSummary>(relevant, catalogue).map((g) =>
    withDocs({ rule: g.rule, severity: g.severity, count: g.items.length, resources: g.items.map((i) => i.resource), ...causesOf(g.items) }),
  );
  return { ...common, kind: 'findings', groups, listed: relevant.length, unlisted, resolved: event.counts.resolved };
}

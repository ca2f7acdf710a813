// What both notifiers say about findings: rule metadata, grouping by rule (attack paths first), resource labels,
// links to the cluster and the rule docs, and the shape of one scan's digest that the Slack message renders
// (pipeline/scan-digest.ts decides what goes in it).
import { maxSeverity, severityRank, type FindingResource, type FrameworkIds, type Severity } from '../model/finding.ts';
import type { ScanCompleted } from '../model/pipeline.ts';
import type { UnreadKind } from '../model/snapshot.ts';
import { ruleById } from '../rules/index.ts';

/** What a notifier needs to know about a rule. */
export interface RuleInfo {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  /** `path` for attack paths. */
  domain: string;
  remediation: string;
  frameworks: FrameworkIds;
}

export type RuleCatalogue = (ruleId: string) => RuleInfo | undefined;

/** The rules Periscope ships with. */
export const registryCatalogue: RuleCatalogue = (ruleId) => {
  const rule = ruleById(ruleId);
  if (!rule) return undefined;
  const { title, description, severity, domain, remediation, frameworks } = rule.meta;
  return { id: rule.id, title, description, severity, domain, remediation, frameworks };
};

/** A rule the catalogue does not know (an older or newer scanner wrote the finding): named by its id. */
export function ruleInfoOf(catalogue: RuleCatalogue, ruleId: string, severity: Severity = 'info'): RuleInfo {
  return (
    catalogue(ruleId) ?? {
      id: ruleId,
      title: ruleId,
      description: `Findings of rule ${ruleId}.`,
      severity,
      domain: ruleId.startsWith('path-') ? 'path' : 'unknown',
      remediation: `See the documentation of rule ${ruleId}.`,
      frameworks: {},
    }
  );
}

export interface RuleGroup<T> {
  rule: RuleInfo;
  /** The most severe of the group's items. */
  severity: Severity;
  items: T[];
}

export function isAttackPath(rule: RuleInfo): boolean {
  return rule.domain === 'path';
}

/** Groups items by rule: attack paths first, then by severity, then the largest groups, then by rule id. */
export function groupByRule<T extends { ruleId: string; severity: Severity }>(
  items: readonly T[],
  catalogue: RuleCatalogue,
): RuleGroup<T>[] {
  const byRule = new Map<string, T[]>();
  for (const item of items) {
    const list = byRule.get(item.ruleId);
    if (list) list.push(item);
    else byRule.set(item.ruleId, [item]);
  }
  const groups = [...byRule.entries()].map(([ruleId, list]): RuleGroup<T> => {
    const severity = maxSeverity(list.map((i) => i.severity)) ?? 'info';
    return { rule: ruleInfoOf(catalogue, ruleId, severity), severity, items: list };
  });
  return groups.sort(
    (a, b) =>
      Number(isAttackPath(b.rule)) - Number(isAttackPath(a.rule)) ||
      severityRank(b.severity) - severityRank(a.severity) ||
      b.items.length - a.items.length ||
      a.rule.id.localeCompare(b.rule.id),
  );
}


/** `Deployment shop/web` (container `app`): how a resource is named to people. */
export function resourceLabel(resource: FindingResource): string {
  const where = resource.namespace ? `${resource.namespace}/${resource.name}` : resource.name;
  return `${resource.kind} ${where}${resource.container ? ` (container ${resource.container})` : ''}`;
}

export interface NotifyLinks {
  /**
   * Where a cluster is shown, with `{id}`, `{name}`, `{region}`, `{accountId}` placeholders (URL-encoded).
   * Default: the EKS console page of the cluster when its region is known.
   */
  clusterUrl?: string;
  /** The rules documentation (docs/rules.md as published); rule links are `<docsUrl>#<rule-id>`. */
  docsUrl?: string;
}

export type EventCluster = ScanCompleted['cluster'];

export function clusterLink(links: NotifyLinks, cluster: EventCluster): string | undefined {
  const values: Record<string, string | undefined> = {
    id: cluster.id,
    name: cluster.name,
    region: cluster.region,
    accountId: cluster.accountId,
  };
  if (links.clusterUrl) {
    let missing = false;
    const url = links.clusterUrl.replace(/\{(id|name|region|accountId)\}/g, (_, key: string) => {
      const value = values[key];
      if (value === undefined) missing = true;
      return encodeURIComponent(value ?? '');
    });
    return missing ? undefined : url;
  }
  if (cluster.region && cluster.arn) {
    const region = encodeURIComponent(cluster.region);
    return `https://${region}.console.aws.amazon.com/eks/clusters/${encodeURIComponent(cluster.name)}?region=${region}`;
  }
  return undefined;
}

export function ruleLink(links: NotifyLinks, ruleId: string): string | undefined {
  return links.docsUrl ? `${links.docsUrl.replace(/#.*$/, '')}#${ruleId}` : undefined;
}

/** The cluster as named in messages: `prod (111122223333, eu-west-1)`. */
export function clusterLabel(cluster: EventCluster): string {
  const where = [cluster.accountId, cluster.region].filter(Boolean).join(', ');
  return where ? `${cluster.name} (${where})` : cluster.name;
}

// ── The digest of one scan (what the Slack message renders) ───────────────────────────────────────────────────

export interface DigestGroup {
  rule: RuleInfo;
  severity: Severity;
  /** New findings of the rule in this scan (at or above the threshold). */
  count: number;
  resources: FindingResource[];
  /** Who introduced them (`opened after alice@example.com ran kubectl create at 10:02 UTC`), when the audit stream knows. */
  causes?: string[];
  docsUrl?: string;
}

export interface DigestCommon {
  cluster: EventCluster;
  clusterLabel: string;
  clusterUrl?: string;
  scanId: string;
  completedAt: string;
  minSeverity: Severity;
  /** Open findings by severity after the scan. */
  open: Record<Severity, number>;
  /** Present when the scan did not read everything: the kinds (and EKS calls) it could not read, and how many it tried.
   * The message warns that the findings are not the whole picture and that none of these was resolved. */
  incomplete?: { unread: UnreadKind[]; kinds: number };
}

/** New findings of a rescan, grouped by rule. */
export interface FindingsDigest extends DigestCommon {
  kind: 'findings';
  groups: DigestGroup[];
  /** New findings at or above the threshold that are listed in `groups`. */
  listed: number;
  /** New findings the scan event did not list (its lists are capped); the cluster page has them all. */
  unlisted: number;
  resolved: number;
}

/** The first scan of a cluster: one quiet summary instead of an alert per finding. */
export interface BaselineDigest extends DigestCommon {
  kind: 'baseline';
  totalOpen: number;
  suppressed: number;
  /** Attack paths and the largest rules at or above the threshold, from the scan event's (capped) list. */
  topRules: { rule: RuleInfo; severity: Severity; count: number; docsUrl?: string }[];
  topRulesComplete: boolean;
}

export type ScanDigest = FindingsDigest | BaselineDigest;

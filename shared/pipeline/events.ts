// Periscope's own events, built from a scan's outcome: what notifiers and user targets subscribe to.
import type { ClusterRef } from '../model/cluster.ts';
import type { Finding } from '../model/finding.ts';
import { severityRank } from '../model/finding.ts';
import {
  eventDetailTypes,
  summaryCap,
  type FindingSummary,
  type PeriscopeEvent,
  type ScanCompleted,
} from '../model/pipeline.ts';
import type { KindCoverage } from '../model/snapshot.ts';
import type { ScanOutcome } from '../store/port.ts';
import { alertsOf } from '../store/reconcile.ts';

function eventClusterOf(cluster: ClusterRef): ScanCompleted['cluster'] {
  const out: ScanCompleted['cluster'] = { id: cluster.id, name: cluster.name };
  if (cluster.arn) out.arn = cluster.arn;
  if (cluster.accountId) out.accountId = cluster.accountId;
  if (cluster.region) out.region = cluster.region;
  return out;
}

function summaryOf(finding: Finding): FindingSummary {
  const summary: FindingSummary = { fingerprint: finding.fingerprint, ruleId: finding.ruleId, severity: finding.severity, resource: finding.resource };
  if (finding.cause) summary.cause = finding.cause;
  return summary;
}

/** Worst first (stable within a severity): a capped list then names the findings that matter most. */
function worstFirst(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

export interface ScanEventsInput {
  cluster: ClusterRef;
  scanId: string;
  startedAt: string;
  completedAt: string;
  /** What the store recorded. */
  outcome: Pick<ScanOutcome, 'reconciliation' | 'summary' | 'counts'>;
  coverage: Record<string, KindCoverage>;
  /** The cluster's first recorded scan. */
  baseline: boolean;
}

/** The event's stable id: the same scan, type and finding give the same id, however often it is published. */
export function eventIdOf(scanId: string, detailType: string, fingerprint?: string): string {
  return [scanId, detailType.toLowerCase().replace(/ /g, '-'), ...(fingerprint ? [fingerprint] : [])].join('/');
}

/**
 * One Finding Opened per new or reopened finding, one Finding Resolved per fixed one, one Finding Suppressed per
 * finding an exception covers from this scan on, then Scan Completed.
 */
export function scanEvents(input: ScanEventsInput): PeriscopeEvent[] {
  const { reconciliation, summary, counts } = input.outcome;
  const { opened, resolved } = alertsOf(reconciliation);
  const cluster = eventClusterOf(input.cluster);
  const events: PeriscopeEvent[] = [
    ...opened.map((finding): PeriscopeEvent => ({
      detailType: eventDetailTypes.findingOpened,
      detail: { eventId: eventIdOf(input.scanId, eventDetailTypes.findingOpened, finding.fingerprint), cluster, scanId: input.scanId, finding },
    })),
    ...resolved.map((finding): PeriscopeEvent => ({
      detailType: eventDetailTypes.findingResolved,
      detail: { eventId: eventIdOf(input.scanId, eventDetailTypes.findingResolved, finding.fingerprint), cluster, scanId: input.scanId, finding },
    })),
    ...reconciliation.suppressed.map((finding): PeriscopeEvent => ({
      detailType: eventDetailTypes.findingSuppressed,
      detail: { eventId: eventIdOf(input.scanId, eventDetailTypes.findingSuppressed, finding.fingerprint), cluster, scanId: input.scanId, finding },
    })),
  ];
  events.push({
    detailType: eventDetailTypes.scanCompleted,
    detail: {
      eventId: eventIdOf(input.scanId, eventDetailTypes.scanCompleted),
      cluster,
      scanId: input.scanId,
      startedAt: input.startedAt,
      completedAt: input.completedAt,
      counts: {
        open: counts.open,
        opened: opened.length,
        resolved: resolved.length,
        unchanged: summary.unchanged,
        suppressed: summary.suppressed,
      },
      opened: worstFirst(opened).slice(0, summaryCap).map(summaryOf),
      resolved: worstFirst(resolved).slice(0, summaryCap).map(summaryOf),
      truncated: opened.length > summaryCap || resolved.length > summaryCap,
      coverage: input.coverage,
      baseline: input.baseline,
    },
  });
  return events;
}

export function resolvedEvents(cluster: ClusterRef, scanId: string, findings: readonly Finding[], reason: string): PeriscopeEvent[] {
  const eventCluster = eventClusterOf(cluster);
  return findings.map((finding) => ({
    detailType: eventDetailTypes.findingResolved,
    detail: { eventId: eventIdOf(scanId, eventDetailTypes.findingResolved, finding.fingerprint), cluster: eventCluster, scanId, finding, reason },
  }));
}

// notifySlack: one Slack message per completed scan — a quiet baseline on a cluster's first scan, otherwise the
// new findings at or above the threshold grouped by rule; nothing when there is nothing new to say.
import type { Logger, Metrics } from '../model/cross-cutting.ts';
import type { Severity } from '../model/finding.ts';
import type { ScanCompleted } from '../model/pipeline.ts';
import type { NotifyLinks, RuleCatalogue } from '../notify/digest.ts';
import { toSlackMessage, type SlackMessage } from '../notify/slack/message.ts';
import type { FleetReportLink, FleetReportLinks } from './fleet-report.ts';
import { scanDigestOf } from './scan-digest.ts';

/** Delivers a message (SlackSender, or a fake). */
export interface SlackPort {
  /** Posts at most once per `digestId`; throws an error with `code: 'delivery_unknown'` when it cannot tell. */
  send(message: SlackMessage, options?: { digestId?: string }): Promise<unknown>;
}

export interface NotifySlackDeps {
  slack: SlackPort;
  minSeverity: Severity;
  links?: NotifyLinks;
  catalogue?: RuleCatalogue;
  resourcesPerRule?: number;
  /** The latest fleet report, linked from every message when one exists (signed at send time). */
  fleetReport?: FleetReportLinks;
  logger: Logger;
  metrics: Metrics;
}

export interface NotifySlackResult {
  sent: boolean;
  /** The post's answer was lost: it may be in the channel, and is not sent again. */
  unknown?: boolean;
  kind?: 'baseline' | 'findings';
  blocks?: number;
}

export async function notifySlack(event: ScanCompleted, deps: NotifySlackDeps): Promise<NotifySlackResult> {
  const options: Parameters<typeof scanDigestOf>[1] = { minSeverity: deps.minSeverity };
  if (deps.links) options.links = deps.links;
  if (deps.catalogue) options.catalogue = deps.catalogue;
  const digest = scanDigestOf(event, options);
  if (!digest) {
    deps.logger.info('nothing new to post to Slack', { cluster: event.cluster.id, scanId: event.scanId, minSeverity: deps.minSeverity });
    return { sent: false };
  }
  const fleetReport = await fleetReportLinkOf(deps);
  const message = toSlackMessage(digest, {
    ...(deps.resourcesPerRule === undefined ? {} : { resourcesPerRule: deps.resourcesPerRule }),
    ...(fleetReport ? { fleetReport } : {}),
  });
  try {
    // One digest per scan of a cluster, however often Scan Completed is delivered (an outbox re-publish, a retry).
    await deps.slack.send(message, { digestId: `${event.cluster.id}/${event.scanId}` });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'delivery_unknown') throw error;
    // Throwing would have Lambda deliver the event again, and a webhook post again: at most once instead.
    deps.metrics.count('SlackDeliveryUnknown');
    deps.logger.warn('Slack post may or may not have been delivered; not sent again', {
      cluster: event.cluster.id, scanId: event.scanId, error: error instanceof Error ? error.message : String(error),
    });
    return { sent: false, unknown: true, kind: digest.kind };
  }
  deps.metrics.count(digest.kind === 'baseline' ? 'SlackBaselinesSent' : 'SlackDigestsSent');
  deps.logger.info('Slack message sent', { cluster: event.cluster.id, scanId: event.scanId, kind: digest.kind, blocks: message.blocks.length });
  return { sent: true, kind: digest.kind, blocks: message.blocks.length };
}

/** The link, or none: a report that cannot be linked never holds the digest back. */
async function fleetReportLinkOf(deps: NotifySlackDeps): Promise<FleetReportLink | undefined> {
  if (!deps.fleetReport) return undefined;
  try {
    return await deps.fleetReport.latest();
  } catch (error) {
    deps.logger.warn('no fleet report link in this message: the latest report could not be looked up', { error: error instanceof Error ? error.message : String(error) });
    deps.metrics.count('FleetReportLinkFailed');
    return undefined;
  }
}

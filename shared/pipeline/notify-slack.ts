// notifySlack: one Slack message per completed scan — a quiet baseline on a cluster's first scan, otherwise the
// new findings at or above the threshold grouped by rule; nothing when there is nothing new to say.
import type { Logger, Metrics } from '../model/cross-cutting.ts';
import type { Severity } from '../model/finding.ts';
import type { ScanCompleted } from '../model/pipeline.ts';
import type { NotifyLinks, RuleCatalogue } from '../notify/digest.ts';
import { toSlackMessage, type SlackMessage } from '../notify/slack/message.ts';
import { scanDigestOf } from './scan-digest.ts';

/** Delivers a message (SlackSender, or a fake). */
export interface SlackPort {
  send(message: SlackMessage): Promise<unknown>;
}

export interface NotifySlackDeps {
  slack: SlackPort;
  minSeverity: Severity;
  links?: NotifyLinks;
  catalogue?: RuleCatalogue;
  resourcesPerRule?: number;
  logger: Logger;
  metrics: Metrics;
}

export interface NotifySlackResult {
  sent: boolean;
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
  const message = toSlackMessage(digest, deps.resourcesPerRule === undefined ? {} : { resourcesPerRule: deps.resourcesPerRule });
  await deps.slack.send(message);
  deps.metrics.count(digest.kind === 'baseline' ? 'SlackBaselinesSent' : 'SlackDigestsSent');
  deps.logger.info('Slack message sent', { cluster: event.cluster.id, scanId: event.scanId, kind: digest.kind, blocks: message.blocks.length });
  return { sent: true, kind: digest.kind, blocks: message.blocks.length };
}

// Lambda: Scan Completed (Periscope's bus) → one Slack message: a baseline on a first scan, else the new findings.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { EventBridgeEnvelope } from '@aws-lambda-powertools/parser/envelopes';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { systemClock } from '../shared/model/cross-cutting.ts';
import { scanCompletedSchema, type ScanCompleted } from '../shared/model/pipeline.ts';
import { SecretLoader } from '../shared/notify/secrets.ts';
import { SlackDeliveryError, SlackSender, slackTargetOf } from '../shared/notify/slack/sender.ts';
import { notifySlack } from '../shared/pipeline/notify-slack.ts';
import { S3ReportBucket } from './adapters/s3-report-bucket.ts';
import { parseEnvironment } from './environment.ts';
import { logger, loggerPort, metrics, metricsPort } from './runtime.ts';

const environment = parseEnvironment('notify-slack');
const secrets = new SecretLoader(new SecretsManagerClient({}));
// The latest fleet report, when the stack writes one: presigned at send time, so a link is fresh when posted.
const fleetReport =
  environment.FLEET_REPORT_BUCKET && environment.FLEET_REPORT_KEY
    ? new S3ReportBucket(new S3Client({}), environment.FLEET_REPORT_BUCKET).linksTo(environment.FLEET_REPORT_KEY, {
        expiresInSeconds: environment.FLEET_REPORT_LINK_HOURS * 3600,
        clock: systemClock,
      })
    : undefined;
const links = { ...(environment.CLUSTER_URL ? { clusterUrl: environment.CLUSTER_URL } : {}), ...(environment.DOCS_URL ? { docsUrl: environment.DOCS_URL } : {}) };

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(parser({ schema: scanCompletedSchema, envelope: EventBridgeEnvelope }))
  .handler(async (event: ScanCompleted) => {
    logger.appendKeys({ cluster: event.cluster.id, scanId: event.scanId });
    const target = slackTargetOf(await secrets.get(environment.SLACK_SECRET_ID), environment.SLACK_SECRET_ID);
    const slack = new SlackSender({ target, logger: loggerPort });
    try {
      return await notifySlack(event, {
        slack,
        minSeverity: environment.MIN_SEVERITY,
        links,
        resourcesPerRule: environment.RESOURCES_PER_RULE,
        ...(fleetReport ? { fleetReport } : {}),
        logger: loggerPort,
        metrics: metricsPort,
      });
    } catch (error) {
      // A rotated webhook or token is read again on the next delivery.
      if (error instanceof SlackDeliveryError && !error.retryable) secrets.forget(environment.SLACK_SECRET_ID);
      metricsPort.count('SlackDeliveryFailed');
      throw error;
    }
  });

// Lambda: Scan Completed (Periscope's bus) → the cluster's Jira tickets brought in line with its stored findings;
// the Jira sweep schedule (cdk/notifiers.ts) → every cluster with a pending or stale ticket synced again.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { eventDetailTypes, eventSource, scanCompletedSchema } from '../shared/model/pipeline.ts';
import { JiraClient, jiraCredentialsOf } from '../shared/notify/jira/client.ts';
import { SecretLoader } from '../shared/notify/secrets.ts';
import { JiraSync } from '../shared/pipeline/jira-sync.ts';
import { jiraSweepEvent, sweepPendingTickets, syncJira } from '../shared/pipeline/notify-jira.ts';
import { documentClientOf, FindingStore } from '../shared/store/finding-store.ts';
import { parseEnvironment } from './environment.ts';
import { logger, loggerPort, metrics, metricsPort } from './runtime.ts';

const environment = parseEnvironment('notify-jira');
const secrets = new SecretLoader(new SecretsManagerClient({}));
const store = new FindingStore({ client: documentClientOf(new DynamoDBClient({})), tableName: environment.TABLE_NAME });

/** Scan Completed from Periscope's bus, or the sweep schedule's input. */
const notifyJiraEventSchema = z.union([
  EventBridgeSchema.extend({
    source: z.literal(eventSource),
    'detail-type': z.literal(eventDetailTypes.scanCompleted),
    detail: scanCompletedSchema,
  }),
  z.object({ source: z.literal(jiraSweepEvent.source), action: z.literal(jiraSweepEvent.action) }),
]);
type NotifyJiraEvent = z.infer<typeof notifyJiraEventSchema>;

/** Time left for the sweep to start another cluster (one cluster's sync, with Jira retries, fits in it). */
const sweepReserveMs = 90_000;

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(parser({ schema: notifyJiraEventSchema }))
  .handler(async (event: NotifyJiraEvent, context) => {
    const credentials = jiraCredentialsOf(await secrets.get(environment.JIRA_SECRET_ID), environment.JIRA_SECRET_ID);
    const baseUrl = environment.JIRA_BASE_URL ?? credentials.baseUrl;
    if (!baseUrl) throw new Error(`No Jira site: set JIRA_BASE_URL or a "baseUrl" field in secret ${environment.JIRA_SECRET_ID}.`);
    const jira = new JiraClient({ baseUrl, flavour: environment.JIRA_SETTINGS.flavour, auth: credentials.auth, logger: loggerPort });
    const tickets = new JiraSync({ store, jira, settings: environment.JIRA_SETTINGS, logger: loggerPort, claimant: context.awsRequestId });
    if (event.source === jiraSweepEvent.source) {
      logger.appendKeys({ sweep: true });
      const report = await sweepPendingTickets({
        store,
        tickets,
        logger: loggerPort,
        metrics: metricsPort,
        stop: () => context.getRemainingTimeInMillis() < sweepReserveMs,
      });
      // Pending groups are Jira still failing: the next sweep retries them. A cluster that failed otherwise
      // (the table) fails the invocation, so Lambda retries it and then keeps it in the dead-letter queue.
      if (report.failed.length > 0) {
        throw new Error(
          `The Jira sweep failed for ${report.failed.length} cluster(s): ${report.failed.map((f) => `${f.cluster}: ${f.error}`).join('; ')}. See the function's logs; the next sweep retries them.`,
        );
      }
      return { clusters: report.clusters, synced: report.synced, created: report.created, closed: report.closed, pending: report.pending };
    }
    const detail = event.detail;
    logger.appendKeys({ cluster: detail.cluster.id, scanId: detail.scanId });
    const report = await syncJira(detail, { findings: store, tickets, logger: loggerPort, metrics: metricsPort });
    // Refused credentials are read again next time (rotation).
    if (report.results.some((r) => r.error?.includes('HTTP 401'))) secrets.forget(environment.JIRA_SECRET_ID);
    return { created: report.created, pending: report.pending, groups: report.results.length };
  });

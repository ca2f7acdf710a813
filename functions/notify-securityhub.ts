// Lambda: Finding Opened / Resolved / Suppressed (Periscope's bus → an SQS queue, batches of up to 100) → Security
// Hub CSPM findings, imported by fingerprint and kept in step with their workflow status. A message that cannot be
// delivered is answered as a partial batch failure: SQS retries it, then keeps it in the dead-letter queue.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { PartialItemFailureResponse } from '@aws-lambda-powertools/batch/types';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { eventDetailTypes, eventSource, findingEventSchema } from '../shared/model/pipeline.ts';
import { parseDefaultProductArn } from '../shared/notify/securityhub/asff.ts';
import { SecurityHubFindings } from '../shared/notify/securityhub/client.ts';
import { notifySecurityHub, type FindingChange } from '../shared/pipeline/notify-securityhub.ts';
import { parseEnvironment } from './environment.ts';
import { logger, loggerPort, metrics, metricsPort } from './runtime.ts';

const environment = parseEnvironment('notify-securityhub');
const product = parseDefaultProductArn(environment.SECURITYHUB_PRODUCT_ARN);
// The SDK retries throttling (429, ThrottlingException) and 5xx with backoff before the use case's own rounds.
const hub = new SecurityHubFindings(new SecurityHubClient({ region: product.region, maxAttempts: 5 }));
const links = environment.DOCS_URL ? { docsUrl: environment.DOCS_URL } : undefined;

/** The body EventBridge puts on the queue: the whole event. */
const findingChangeEventSchema = z.object({
  source: z.literal(eventSource),
  'detail-type': z.enum([eventDetailTypes.findingOpened, eventDetailTypes.findingResolved, eventDetailTypes.findingSuppressed]),
  detail: findingEventSchema,
});

export const handler = middy<SQSEvent, PartialItemFailureResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .handler(async (event: SQSEvent) => {
    const changes: FindingChange[] = [];
    const unreadable: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        body = undefined;
      }
      const parsed = findingChangeEventSchema.safeParse(body);
      if (!parsed.success) {
        // Kept for a person: after the queue's retries it waits in the dead-letter queue with its body.
        logger.error('message is not a Periscope finding event', { messageId: record.messageId, error: body === undefined ? 'the body is not JSON' : z.prettifyError(parsed.error) });
        unreadable.push({ itemIdentifier: record.messageId });
        continue;
      }
      changes.push({ messageId: record.messageId, detailType: parsed.data['detail-type'], detail: parsed.data.detail });
    }
    const result = await notifySecurityHub(changes, { hub, product, ...(links ? { links } : {}), logger: loggerPort, metrics: metricsPort });
    return { batchItemFailures: [...unreadable, ...result.batchItemFailures] };
  });

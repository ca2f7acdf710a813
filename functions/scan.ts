// Lambda: one ScanRequest per SQS message (batch size 1) → scanCluster. A failed record is reported as a
// partial batch failure: SQS retries it, then moves it to the DLQ.
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { PartialItemFailureResponse } from '@aws-lambda-powertools/batch/types';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { scanRequestSchema } from '../shared/model/pipeline.ts';
import { scanCluster } from '../shared/pipeline/scan-cluster.ts';
import { logger, metrics } from './runtime.ts';
import { scanRuntime, serving } from './scan-runtime.ts';

const processor = new BatchProcessor(EventType.SQS);

async function scanRecord(record: SQSRecord) {
  logger.appendKeys({ messageId: record.messageId });
  try {
    const parsed = scanRequestSchema.safeParse(JSON.parse(record.body));
    if (!parsed.success) throw new Error(`message ${record.messageId} is not a ScanRequest: ${z.prettifyError(parsed.error)}`);
    const request = parsed.data;
    logger.appendKeys({ clusterArn: request.clusterArn });
    const { config, deps } = scanRuntime();
    return await scanCluster(request, deps, config.scan);
  } catch (error) {
    // The record goes back to the queue (then to the DLQ): say why, once, with the message id.
    logger.error('scan request failed', { error: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    logger.removeKeys(['clusterArn', 'messageId']);
  }
}

export const handler = middy<SQSEvent, PartialItemFailureResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .handler(async (event: SQSEvent, context) => {
    // The collection stops in time for the scan to be recorded, whatever the API server does.
    serving(context);
    return processPartialResponse(event, scanRecord, processor, { context, throwOnFullBatchFailure: false });
  });

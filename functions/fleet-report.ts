// Lambda: on its EventBridge Scheduler schedule, render the fleet report from the table and write it to the
// report bucket (a dated copy and latest.html, which the Slack digest links to).
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod';
import { systemClock } from '../shared/model/cross-cutting.ts';
import { publishFleetReport } from '../shared/pipeline/fleet-report.ts';
import { FindingStore, documentClientOf } from '../shared/store/finding-store.ts';
import { S3ReportBucket } from './adapters/s3-report-bucket.ts';
import { parseEnvironment } from './environment.ts';
import { logger, loggerPort, metrics, metricsPort } from './runtime.ts';

/** The schedule's input (cdk/fleet-report.ts); any other fields are ignored. */
const scheduleEventSchema = z.looseObject({ source: z.string().optional(), action: z.string().optional() });

const environment = parseEnvironment('fleet-report');
const store = new FindingStore({ client: documentClientOf(new DynamoDBClient({ maxAttempts: 5 })), tableName: environment.TABLE_NAME, logger: loggerPort });
const bucket = new S3ReportBucket(new S3Client({ maxAttempts: 5 }), environment.REPORT_BUCKET);
const settings = { prefix: environment.REPORT_PREFIX, staleAfterHours: environment.STALE_AFTER_HOURS, trendDays: environment.TREND_DAYS };

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(parser({ schema: scheduleEventSchema }))
  .handler(() => publishFleetReport({ reads: store, bucket, clock: systemClock, logger: loggerPort, metrics: metricsPort, settings }));

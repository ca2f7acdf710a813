// Lambda: on the EventBridge Scheduler schedule, list clusters everywhere configured and request their scans.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import * as z from 'zod';
import { discover } from '../shared/pipeline/discover.ts';
import { logger, metrics, runtime } from './runtime.ts';

/** The schedule's input (cdk/scanner.ts); any other fields are ignored. */
const scheduleEventSchema = z.looseObject({ source: z.string().optional(), action: z.string().optional() });

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(parser({ schema: scheduleEventSchema }))
  .handler(async () => {
    const { config, deps } = runtime('discover');
    return discover(config.targets, deps);
  });

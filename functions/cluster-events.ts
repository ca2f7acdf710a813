// Lambda: EKS CloudTrail events (EventBridge rule) → ScanRequest, or DeleteCluster → cluster marked deleted.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { eksCloudTrailEventSchema, type EksCloudTrailEvent } from '../shared/pipeline/cloudtrail.ts';
import { handleClusterEvent } from '../shared/pipeline/cluster-events.ts';
import { logger, metrics, runtime } from './runtime.ts';

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(parser({ schema: eksCloudTrailEventSchema }))
  .handler(async (event: EksCloudTrailEvent) => {
    logger.appendKeys({ eventName: event.detail.eventName, eventId: event.detail.eventID });
    return handleClusterEvent(event, runtime('cluster-events').deps);
  });

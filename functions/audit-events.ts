// Lambda: EKS audit log batches → event findings and debounced rescans (shared/pipeline/audit-events.ts). Invoked by a
// CloudWatch Logs subscription filter (`awslogs.data`, same account) or by the Kinesis stream behind the member
// accounts' CloudWatch Logs destination (each record's data is the same payload). A Kinesis record that fails is
// reported as a partial batch failure; bad input never fails: it is logged and counted.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { CloudWatchLogsEvent, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { handleAuditPayload, type AuditBatchResult, type AuditEventsDeps } from '../shared/pipeline/audit-events.ts';
import { DynamoPrincipalBaseline } from '../shared/store/audit-baseline.ts';
import { AuditStreamStore } from '../shared/store/audit-stream.ts';
import { logger, loggerPort, metrics, runtime } from './runtime.ts';

let built: AuditEventsDeps | undefined;

function auditRuntime(): AuditEventsDeps {
  if (built) return built;
  const { config, deps, documentClient } = runtime('audit-events');
  built = {
    ...deps,
    audit: new AuditStreamStore({ client: documentClient, tableName: config.tableName, logger: loggerPort }),
    baseline: new DynamoPrincipalBaseline({ client: documentClient, tableName: config.tableName }),
    region: process.env.AWS_REGION ?? '',
    rescanWindowSeconds: config.rescanWindowSeconds ?? 60,
  };
  return built;
}

type AuditInvocation = CloudWatchLogsEvent | KinesisStreamEvent;

export const handler = middy<AuditInvocation, AuditBatchResult | KinesisStreamBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .handler(async (event) => {
    const deps = auditRuntime();
    if ('awslogs' in event) return handleAuditPayload(event.awslogs.data, deps);
    const batchItemFailures: KinesisStreamBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        await handleAuditPayload(record.kinesis.data, deps);
      } catch (error) {
        logger.error('audit log record failed; Lambda retries it', { sequenceNumber: record.kinesis.sequenceNumber, error: error instanceof Error ? error.message : String(error) });
        batchItemFailures.push({ itemIdentifier: record.kinesis.sequenceNumber });
        // Kinesis retries from the first failure: later records of the batch come again with it.
        break;
      }
    }
    return { batchItemFailures };
  });

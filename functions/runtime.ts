// What every function builds once per cold start: configuration, logger and metrics, the store, the queue, the
// publisher and the EKS clients. Scan-only parts (Kubernetes client, rules) live in scan-runtime.ts, so the
// other bundles stay small.
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { redactSecrets } from '../shared/model/redact.ts';
import { EventBridgePublisher } from '../shared/notify/eventbridge.ts';
import { systemClock, type Clock, type Logger as LoggerPort, type Metrics as MetricsPort } from '../shared/model/cross-cutting.ts';
import {
  type EventPublisher,
  type ScanQueue,
} from '../shared/pipeline/ports.ts';
import { FindingStore, documentClientOf } from '../shared/store/finding-store.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsAccess, EksClusterDirectory, type AwsAccess } from '../shared/eks/directory.ts';
import { SqsScanQueue } from './adapters/sqs-queue.ts';
import { readPipelineConfig, type PipelineConfig, type PipelineFunctionName } from './environment.ts';

// Every string of every log line goes through redactSecrets: a token or key quoted in an error message never
// reaches CloudWatch, whichever code logged it.
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'periscope',
  jsonReplacerFn: (_key: string, value: unknown) => (typeof value === 'string' ? redactSecrets(value) : value),
});
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Periscope',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'periscope',
});

/** Powertools' logger and metrics behind the one Logger and Metrics port (attributes become top-level JSON keys). */
export const loggerPort: LoggerPort = {
  debug: (message, attributes) => logger.debug(message, { ...attributes }),
  info: (message, attributes) => logger.info(message, { ...attributes }),
  warn: (message, attributes) => logger.warn(message, { ...attributes }),
  error: (message, attributes) => logger.error(message, { ...attributes }),
};
export const metricsPort: MetricsPort = { count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value) };

export interface CoreDeps {
  store: FindingStore;
  queue: ScanQueue;
  publisher: EventPublisher;
  clock: Clock;
  logger: LoggerPort;
  metrics: MetricsPort;
  directory: EksClusterDirectory;
  ownPrincipalArn?: string;
}

export interface Runtime {
  config: PipelineConfig;
  access: AwsAccess;
  deps: CoreDeps;
  /** The table's document client, for the store's other parts (the audit stream's records). */
  documentClient: DynamoDBDocumentClient;
}

function build(name: PipelineFunctionName): Runtime {
  const config = readPipelineConfig(name);
  const access = awsAccess(config.targets, config.externalId);
  const documentClient = documentClientOf(new DynamoDBClient({ maxAttempts: 5 }));
  const deps: CoreDeps = {
    store: new FindingStore({
      client: documentClient,
      tableName: config.tableName,
      leaseMs: config.scan.leaseTtlMs,
      logger: loggerPort,
    }),
    queue: new SqsScanQueue(new SQSClient({ maxAttempts: 5 }), config.queueUrl),
    publisher: new EventBridgePublisher({ busName: config.busName, client: new EventBridgeClient({ maxAttempts: 5 }), logger: loggerPort }),
    clock: systemClock,
    logger: loggerPort,
    metrics: metricsPort,
    directory: new EksClusterDirectory(access),
  };
  if (config.scannerRoleArn) deps.ownPrincipalArn = config.scannerRoleArn;
  return { config, access, deps, documentClient };
}

// One per function name: a Lambda environment runs one function, in-process runs (tests, the demo) several.
const built = new Map<PipelineFunctionName, Runtime>();

/** Built on first use (from function `name`'s environment) and kept for the life of the execution environment. */
export function runtime(name: PipelineFunctionName): Runtime {
  let made = built.get(name);
  if (!made) {
    made = build(name);
    built.set(name, made);
  }
  return made;
}

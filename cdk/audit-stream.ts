// PeriscopeAuditStream: the live change stream (issue 13). EKS control-plane audit logs (`/aws/eks/<cluster>/cluster`)
// reach the audit-events function, which opens event-detection findings and requests a debounced rescan.
//   same account:  subscription filter per configured cluster → the function (CloudWatch Logs invokes it directly)
//   member accounts: their subscription filter → this account's CloudWatch Logs destination → Kinesis stream (KMS)
//                    → the function (a logical destination can only target Kinesis Data Streams or Firehose)
import path from 'node:path';
import {
  Aws,
  Duration,
  Stack,
  aws_iam as iam,
  aws_kinesis as kinesis,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_lambda_destinations as destinations,
  aws_lambda_event_sources as sources,
  aws_logs as logs,
  aws_logs_destinations as logDestinations,
  aws_sqs as sqs,
  type aws_dynamodb as dynamodb,
  type aws_events as events,
  type aws_lambda_nodejs as nodejs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { FunctionEnvironment } from '../functions/environment.ts';
import { lambdaEnvironment, periscopeFunction } from './lambda.ts';
import { acknowledge } from './nag.ts';

/** The destination member accounts subscribe their audit log groups to (one per scanner account and region). */
export const auditDestinationName = 'periscope-audit-events';
export const auditFunctionEntry = path.join('functions', 'audit-events.ts');

/** `/aws/eks/<cluster>/cluster`: where EKS writes a cluster's control-plane logs (created when logging is enabled). */
export function eksLogGroupName(clusterName: string): string {
  return `/aws/eks/${clusterName}/cluster`;
}

/** The ARN of the scanner account's destination, as a member account's subscription filter names it. */
export function auditDestinationArn(partition: string, region: string, scannerAccountId: string): string {
  return `arn:${partition}:logs:${region}:${scannerAccountId}:destination:${auditDestinationName}`;
}

export interface PeriscopeAuditStreamProps {
  table: dynamodb.ITable;
  queue: sqs.IQueue;
  bus: events.IEventBus;
  /** The same-account clusters whose audit logs are subscribed (audit logging must be enabled on each). */
  clusters: readonly string[];
  /** Member accounts allowed to subscribe to the destination; none: no destination, no stream. */
  memberAccounts: readonly string[];
  filterPattern: string;
  rescanWindowSeconds: number;
  logRetentionDays: logs.RetentionDays;
  serviceName: string;
  metricsNamespace: string;
}

export class PeriscopeAuditStream extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly stream: kinesis.Stream | undefined;
  readonly destination: logs.CfnDestination | undefined;

  constructor(scope: Construct, id: string, props: PeriscopeAuditStreamProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Periscope audit-events: reads audit log batches, writes findings, causes and the rescan window, requests scans.',
    });
    const environment = {
      TABLE_NAME: props.table.tableName,
      QUEUE_URL: props.queue.queueUrl,
      BUS_NAME: props.bus.eventBusName,
      RESCAN_WINDOW_SECONDS: String(props.rescanWindowSeconds),
      POWERTOOLS_SERVICE_NAME: props.serviceName,
      POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
    } satisfies FunctionEnvironment<'audit-events'>;
    this.function = periscopeFunction(this, 'Function', {
      entry: auditFunctionEntry,
      role: this.role,
      logRetentionDays: props.logRetentionDays,
      timeout: Duration.minutes(1),
      memorySize: 512,
      environment: lambdaEnvironment(environment),
    });
    // Items only (getCluster, the window's conditional update, causes, event findings, the principal baseline), never
    // the control plane.
    props.table.grant(this.role, 'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem');
    props.queue.grantSendMessages(this.role);
    props.bus.grantPutEventsTo(this.role);

    const dlq = new sqs.Queue(this, 'FailedBatches', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    acknowledge(dlq, 'AwsSolutions-SQS3', 'This queue is the dead-letter queue of the audit-events function.');

    const stack = Stack.of(this);
    for (const clusterName of props.clusters) {
      // The log group is EKS's: referenced, never created (it exists once the cluster's audit logging is on).
      const group = logs.LogGroup.fromLogGroupName(this, `Logs${clusterName.replace(/[^A-Za-z0-9]/g, '')}`, eksLogGroupName(clusterName));
      new logs.SubscriptionFilter(this, `Audit${clusterName.replace(/[^A-Za-z0-9]/g, '')}`, {
        logGroup: group,
        destination: new logDestinations.LambdaDestination(this.function, { addPermissions: true }),
        filterPattern: logs.FilterPattern.literal(props.filterPattern),
        filterName: 'periscope-audit',
      });
    }
    if (props.clusters.length > 0) this.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1), onFailure: new destinations.SqsDestination(dlq) });

    if (props.memberAccounts.length === 0) return;
    const key = new kms.Key(this, 'StreamKey', { enableKeyRotation: true, description: 'Periscope: the member accounts\' audit log stream' });
    this.stream = new kinesis.Stream(this, 'MemberAuditLogs', {
      streamMode: kinesis.StreamMode.ON_DEMAND,
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: key,
      retentionPeriod: Duration.hours(24),
    });
    // CloudWatch Logs assumes this role to put the member accounts' batches on the stream.
    const deliveryRole = new iam.Role(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('logs.amazonaws.com', {
        conditions: {
          StringLike: { 'aws:SourceArn': props.memberAccounts.map((account) => `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${account}:*`) },
        },
      }),
      description: 'Periscope: CloudWatch Logs delivers member accounts\' audit logs to the Kinesis stream.',
    });
    // What CloudWatch Logs does with it: put records, encrypted under the stream's key (no wildcard actions).
    deliveryRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kinesis:PutRecord', 'kinesis:PutRecords'], resources: [this.stream.streamArn] }));
    deliveryRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [key.keyArn] }));
    acknowledge(this.stream, 'AwsSolutions-KDS3', 'A customer-managed key (rotated) rather than aws/kinesis: its use is granted to the delivery role and the function only.');
    const destination = new logs.CfnDestination(this, 'Destination', {
      destinationName: auditDestinationName,
      targetArn: this.stream.streamArn,
      roleArn: deliveryRole.roleArn,
      destinationPolicy: stack.toJsonString({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: [...props.memberAccounts] },
            Action: 'logs:PutSubscriptionFilter',
            Resource: auditDestinationArn(Aws.PARTITION, Aws.REGION, Aws.ACCOUNT_ID),
          },
        ],
      }),
    });
    destination.node.addDependency(deliveryRole);
    this.destination = destination;
    this.function.addEventSource(
      new sources.KinesisEventSource(this.stream, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 100,
        bisectBatchOnError: true,
        retryAttempts: 3,
        reportBatchItemFailures: true,
        onFailure: new sources.SqsDlq(dlq),
      }),
    );
  }
}

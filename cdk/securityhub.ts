// SecurityHubNotifier: Finding Opened / Resolved / Suppressed from Periscope's bus → an SQS queue (batches of up
// to 100, a dead-letter queue after five receives) → notify-securityhub, which imports them into Security Hub CSPM
// under the account's default product. IAM allows BatchImportFindings on that product only, and BatchUpdateFindings
// only for the workflow status and note (every other customer field denied by condition key).
import {
  Aws,
  Duration,
  aws_cloudwatch as cloudwatch,
  aws_events as events,
  aws_events_targets as targets,
  aws_iam as iam,
  aws_lambda_event_sources as sources,
  aws_sqs as sqs,
  type aws_lambda_nodejs as nodejs,
  type aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { FunctionEnvironment } from '../functions/environment.ts';
import { atLeast, severities, type Severity } from '../shared/model/finding.ts';
import { eventDetailTypes, eventSource } from '../shared/model/pipeline.ts';
import { lambdaEnvironment, periscopeFunction } from './lambda.ts';
import { acknowledge } from './nag.ts';

export interface SecurityHubNotifierProps {
  /** Findings below this severity are not sent (default low). */
  minSeverity?: Severity;
  /** Published docs/rules.md; each finding's remediation links to `<docsUrl>#<rule-id>`. */
  docsUrl?: string;
}

/** The finding events the notifier takes, at or above the threshold. */
export function findingEventsPattern(minSeverity: Severity): events.EventPattern {
  return {
    source: [eventSource],
    detailType: [eventDetailTypes.findingOpened, eventDetailTypes.findingResolved, eventDetailTypes.findingSuppressed],
    detail: { finding: { severity: severities.filter((s) => atLeast(s, minSeverity)) } },
  };
}

/** BatchUpdateFindings fields Periscope never sets: a request naming any of them is denied. */
const deniedUpdateFields = ['Confidence', 'Criticality', 'RelatedFindings.Id', 'RelatedFindings.ProductArn', 'Severity.Label', 'Severity.Normalized', 'Severity.Product', 'Types', 'UserDefinedFields', 'VerificationState'];

export interface SecurityHubNotifierConstructProps extends SecurityHubNotifierProps {
  bus: events.IEventBus;
  logRetention: logs.RetentionDays;
  alarmActions: cloudwatch.IAlarmAction[];
  powertools: { POWERTOOLS_SERVICE_NAME: string; POWERTOOLS_METRICS_NAMESPACE: string };
}

export class SecurityHubNotifier extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly rule: events.Rule;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SecurityHubNotifierConstructProps) {
    super(scope, id);
    const productArn = `arn:${Aws.PARTITION}:securityhub:${Aws.REGION}:${Aws.ACCOUNT_ID}:product/${Aws.ACCOUNT_ID}/default`;
    const hubArn = `arn:${Aws.PARTITION}:securityhub:${Aws.REGION}:${Aws.ACCOUNT_ID}:hub/default`;
    const timeout = Duration.minutes(2);

    this.deadLetterQueue = new sqs.Queue(this, 'Dlq', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    acknowledge(this.deadLetterQueue, 'AwsSolutions-SQS3', 'This queue is the dead-letter queue of the Security Hub notifier (its queue and the EventBridge target).');
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the function's timeout, as Lambda advises for SQS event sources.
      visibilityTimeout: Duration.minutes(12),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Periscope notify-securityhub: imports findings under the default product, sets their workflow status, reads its queue, writes its logs.',
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['securityhub:BatchImportFindings'], resources: [productArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['securityhub:BatchUpdateFindings'],
        resources: [hubArn],
        conditions: { StringEquals: { 'securityhub:ASFFSyntaxPath/Workflow.Status': ['NEW', 'RESOLVED', 'SUPPRESSED'] } },
      }),
    );
    for (const field of deniedUpdateFields) {
      role.addToPolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          actions: ['securityhub:BatchUpdateFindings'],
          resources: ['*'],
          conditions: { Null: { [`securityhub:ASFFSyntaxPath/${field}`]: 'false' } },
        }),
      );
    }

    const environment: FunctionEnvironment<'notify-securityhub'> = {
      SECURITYHUB_PRODUCT_ARN: productArn,
      DOCS_URL: props.docsUrl || undefined,
      ...props.powertools,
    };
    this.function = periscopeFunction(this, 'NotifySecurityhub', {
      entry: 'functions/notify-securityhub.ts',
      role,
      logRetentionDays: props.logRetention,
      timeout,
      memorySize: 256,
      environment: lambdaEnvironment(environment),
    });
    acknowledge(role, 'AwsSolutions-IAM5', 'Writing its own log streams (notify-securityhub): CloudWatch Logs scopes streams as <log group ARN>:*. The Deny statements name every resource on purpose.');
    this.function.addEventSource(
      new sources.SqsEventSource(this.queue, {
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(10),
        reportBatchItemFailures: true,
        // Few concurrent batches: Security Hub rate-limits BatchImportFindings per account and region.
        maxConcurrency: 2,
      }),
    );

    this.rule = new events.Rule(this, 'Rule', {
      eventBus: props.bus,
      description: 'Periscope: findings opened, resolved and suppressed → Security Hub CSPM',
      eventPattern: findingEventsPattern(props.minSeverity ?? 'low'),
      targets: [new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });

    this.alarm = new cloudwatch.Alarm(this, 'DlqAlarm', {
      alarmDescription: "Periscope notify-securityhub: finding events failed and wait in the dead-letter queue; see the function's logs.",
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const action of props.alarmActions) this.alarm.addAlarmAction(action);
  }
}

// PeriscopeFleetReport: the scheduled fleet report. An EventBridge Scheduler schedule runs the fleet-report
// function, which reads the fleet view from the findings table (Queries of the inventory and open-finding indexes
// and of cluster partitions) and writes the page to a private, encrypted, versioned bucket with access logs; old
// reports expire by lifecycle. The Slack notifier may read the latest report's one key, to presign a link to it.
import type { aws_cloudwatch as cloudwatch, aws_dynamodb as dynamodb, aws_lambda_nodejs as nodejs } from 'aws-cdk-lib';
import {
  Duration,
  RemovalPolicy,
  aws_iam as iam,
  aws_logs as logs,
  aws_s3 as s3,
  aws_scheduler as scheduler,
  aws_scheduler_targets as schedulerTargets,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { FunctionEnvironment } from '../functions/environment.ts';
import { defaultFleetReportSettings, latestFleetReportKey } from '../shared/pipeline/fleet-report.ts';
import { findingsTable } from '../shared/store/table.ts';
import { deadLetterAlarm, lambdaEnvironment, periscopeFunction } from './lambda.ts';
import { acknowledge, acknowledgeWildcards } from './nag.ts';

export const fleetReportFunctions = { 'fleet-report': 'functions/fleet-report.ts' } as const;
export const fleetReportEvent = { source: 'periscope.schedule', action: 'fleet-report' } as const;

export interface PeriscopeFleetReportProps {
  table: dynamodb.ITable;
  /** EventBridge Scheduler expression (default every day at 06:00 UTC). */
  schedule?: string;
  /** Days dated reports, old versions of latest.html and the access logs are kept (default 90). */
  retentionDays?: number;
  /** How long a presigned link opens the report (default 12 hours). */
  linkHours?: number;
  staleAfterHours?: number;
  trendDays?: number;
  logRetention?: logs.RetentionDays;
  alarmActions?: cloudwatch.IAlarmAction[];
  serviceName?: string;
  metricsNamespace?: string;
  /** Keep the buckets when the stack is deleted (default true). */
  retainData?: boolean;
}

export class PeriscopeFleetReport extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  readonly function: nodejs.NodejsFunction;
  readonly deadLetterQueue: sqs.Queue;
  readonly schedule: scheduler.Schedule;
  readonly alarms: cloudwatch.Alarm[] = [];
  /** The key the function writes last and the Slack digest links to. */
  readonly latestKey: string;
  readonly prefix = defaultFleetReportSettings.prefix;
  readonly linkHours: number;

  constructor(scope: Construct, id: string, props: PeriscopeFleetReportProps) {
    super(scope, id);
    // Access logs are delivered under a bucket policy for the logging service, not an ACL (ACLs stay disabled).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const retentionDays = props.retentionDays ?? 90;
    this.linkHours = props.linkHours ?? 12;
    this.latestKey = latestFleetReportKey(this.prefix);
    const removalPolicy = (props.retainData ?? true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const privateBucket = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
    } satisfies s3.BucketProps;

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...privateBucket,
      lifecycleRules: [{ expiration: Duration.days(retentionDays) }],
    });
    acknowledge(this.accessLogs, 'AwsSolutions-S1', 'This bucket receives the fleet report bucket\'s server access logs; logging it too would only log the logging.');
    this.bucket = new s3.Bucket(this, 'Reports', {
      ...privateBucket,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'reports/',
      lifecycleRules: [
        { prefix: this.prefix, expiration: Duration.days(retentionDays), noncurrentVersionExpiration: Duration.days(retentionDays) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    this.deadLetterQueue = new sqs.Queue(this, 'FleetReportDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, 'AwsSolutions-SQS3', 'This queue is the dead-letter queue of the fleet report schedule and function.');

    const role = new iam.Role(this, 'FleetReportRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Periscope fleet-report: queries the findings table, writes reports under the report prefix, writes its logs.',
    });
    this.function = periscopeFunction(this, 'FleetReport', {
      entry: fleetReportFunctions['fleet-report'],
      role,
      logRetentionDays: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      timeout: Duration.minutes(10),
      memorySize: 1024,
      environment: lambdaEnvironment({
        TABLE_NAME: props.table.tableName,
        REPORT_BUCKET: this.bucket.bucketName,
        REPORT_PREFIX: this.prefix,
        STALE_AFTER_HOURS: props.staleAfterHours === undefined ? undefined : String(props.staleAfterHours),
        TREND_DAYS: props.trendDays === undefined ? undefined : String(props.trendDays),
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? 'periscope',
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? 'Periscope',
      } satisfies FunctionEnvironment<'fleet-report'>),
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 0,
    });
    acknowledge(role, 'AwsSolutions-IAM5', 'Writing its own log streams (fleet-report): CloudWatch Logs scopes streams as <log group ARN>:*.');

    // Least privilege: Query only, on the table (cluster partitions) and the three indexes the fleet view reads.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [props.table.tableArn, ...findingsTable.indexes.map((index) => `${props.table.tableArn}/index/${index.name}`)],
      }),
    );
    const reports = this.bucket.arnForObjects(`${this.prefix}*`);
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [reports] }));
    acknowledgeWildcards(role, [reports], 'The function writes a new dated report under the report prefix on every run (and latest.html); it can write nothing else.');

    this.schedule = this.#schedule(props.schedule ?? 'cron(0 6 * * ? *)');
    this.alarms.push(deadLetterAlarm(this, 'FleetReportDlqAlarm', this.deadLetterQueue, 'Periscope fleet-report: a scheduled fleet report could not be written (see the function\'s logs).', props.alarmActions));
  }

  /** Lets `grantee` presign links to the latest report: s3:GetObject (and so HeadObject) on that one key. */
  grantLatestRead(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(this.latestKey)] }));
  }

  #schedule(expression: string): scheduler.Schedule {
    const role = new iam.Role(this, 'FleetReportSchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Periscope: EventBridge Scheduler invokes fleet-report.',
    });
    acknowledgeWildcards(role, [`${this.function.functionArn}:*`], 'EventBridge Scheduler invokes the fleet-report function (the grant covers its versions).');
    return new scheduler.Schedule(this, 'FleetReportSchedule', {
      description: 'Periscope: write the fleet report to its bucket',
      schedule: scheduler.ScheduleExpression.expression(expression),
      target: new schedulerTargets.LambdaInvoke(this.function, {
        role,
        input: scheduler.ScheduleTargetInput.fromObject(fleetReportEvent),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 2,
        // A report that could not be written is replaced by the next one.
        maxEventAge: Duration.hours(6),
      }),
    });
  }
}

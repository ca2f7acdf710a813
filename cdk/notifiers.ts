// PeriscopeNotifiers: the Slack and Jira functions, subscribed to Scan Completed on Periscope's bus with the
// severity threshold in the event pattern, each with a dead-letter queue and an alarm on it; Jira also runs on
// a schedule (the sweep) that retries tickets left pending by a Jira outage. The scanner construct (or any stack
// holding the bus and the table) includes it.
import type { aws_cloudwatch as cloudwatch, aws_dynamodb as dynamodb, aws_lambda_nodejs as nodejs } from 'aws-cdk-lib';
import {
  Duration,
  aws_events as events,
  aws_events_targets as targets,
  aws_iam as iam,
  aws_logs as logs,
  aws_scheduler as scheduler,
  aws_scheduler_targets as schedulerTargets,
  aws_secretsmanager as secretsmanager,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { atLeast, severities, type Severity } from '../shared/model/finding.ts';
import { eventDetailTypes, eventSource } from '../shared/model/pipeline.ts';
import type { JiraSettingsInput } from '../shared/notify/jira/issue.ts';
import { jiraSweepEvent } from '../shared/pipeline/notify-jira.ts';
import type { FunctionEnvironment } from '../functions/environment.ts';
import { constructIdOf, deadLetterAlarm, lambdaEnvironment, periscopeFunction } from './lambda.ts';
import { acknowledge, acknowledgeWildcards } from './nag.ts';
import { SecurityHubNotifier, type SecurityHubNotifierProps } from './securityhub.ts';
import type { PeriscopeFleetReport } from './fleet-report.ts';

/** How often the Jira sweep retries pending tickets, unless configured. */
export const defaultJiraSweepRate = 'rate(1 hour)';

export const notifierFunctions = {
  'notify-slack': 'functions/notify-slack.ts',
  'notify-jira': 'functions/notify-jira.ts',
  'notify-securityhub': 'functions/notify-securityhub.ts',
} as const;
export type NotifierName = keyof typeof notifierFunctions;

export interface SlackNotifierProps {
  /** Secrets Manager secret: the webhook URL, or {"botToken", "channel"}. */
  webhookSecretName: string;
  minSeverity?: Severity;
  /** Cluster link template ({id}, {name}, {region}, {accountId}); default: the EKS console. */
  clusterUrl?: string;
  /** Published docs/rules.md; rule links are `<docsUrl>#<rule-id>`. */
  docsUrl?: string;
}

export interface JiraNotifierProps extends Omit<JiraSettingsInput, 'links'> {
  /** Secrets Manager secret: {"email", "apiToken"} (Cloud) or {"token"} (Data Center), optionally "baseUrl". */
  secretName: string;
  /** The Jira site; else the secret's baseUrl. */
  baseUrl?: string;
  clusterUrl?: string;
  docsUrl?: string;
  /** Schedule of the sweep that retries tickets left pending by a Jira outage (default rate(1 hour)). */
  sweepRate?: string;
}

export interface PeriscopeNotifiersProps {
  bus: events.IEventBus;
  table: dynamodb.ITable;
  slack?: SlackNotifierProps;
  jira?: JiraNotifierProps;
  /** Findings into Security Hub CSPM (cdk/securityhub.ts). */
  securityHub?: SecurityHubNotifierProps;
  /** The Slack digest links to its latest report (presigned at send time). */
  fleetReport?: PeriscopeFleetReport;
  logRetention?: logs.RetentionDays;
  alarmActions?: cloudwatch.IAlarmAction[];
  serviceName?: string;
  metricsNamespace?: string;
}

/**
 * Scan Completed events worth a notifier's attention: a new or resolved finding at or above the threshold, a
 * truncated list (the event may not show them all), or, with `openCounts`, a cluster that still has open ones
 * (so a ticket left pending by a Jira outage is retried on the next scan).
 */
export function scanCompletedPattern(
  minSeverity: Severity,
  options: { resolved?: boolean; baseline?: boolean; openCounts?: boolean } = {},
): events.EventPattern {
  const wanted = severities.filter((s) => atLeast(s, minSeverity));
  const any: Record<string, unknown>[] = [{ opened: { severity: wanted } }, { truncated: [true] }];
  if (options.resolved) any.push({ resolved: { severity: wanted } });
  if (options.baseline) any.push({ baseline: [true] });
  if (options.openCounts) for (const s of wanted) any.push({ counts: { open: { [s]: [{ numeric: ['>', 0] }] } } });
  return { source: [eventSource], detailType: [eventDetailTypes.scanCompleted], detail: { $or: any } };
}

export class PeriscopeNotifiers extends Construct {
  readonly functions: Partial<Record<NotifierName, nodejs.NodejsFunction>> = {};
  readonly deadLetterQueues: Partial<Record<NotifierName, sqs.Queue>> = {};
  readonly rules: Partial<Record<NotifierName, events.Rule>> = {};
  readonly alarms: cloudwatch.Alarm[] = [];
  /** The Jira sweep's schedule, when Jira is configured. */
  jiraSweep: scheduler.Schedule | undefined;
  /** The Security Hub notifier (its queue, rule and function), when configured. */
  securityHub: SecurityHubNotifier | undefined;
  readonly #props: PeriscopeNotifiersProps;

  constructor(scope: Construct, id: string, props: PeriscopeNotifiersProps) {
    super(scope, id);
    this.#props = props;
    const { slack, jira } = props;
    if (slack) {
      const secret = secretsmanager.Secret.fromSecretNameV2(this, 'SlackSecret', slack.webhookSecretName);
      const minSeverity = slack.minSeverity ?? 'high';
      const fn = this.#notifier('notify-slack', {
        SLACK_SECRET_ID: slack.webhookSecretName,
        MIN_SEVERITY: minSeverity,
        CLUSTER_URL: slack.clusterUrl || undefined,
        DOCS_URL: slack.docsUrl || undefined,
        FLEET_REPORT_BUCKET: props.fleetReport?.bucket.bucketName,
        FLEET_REPORT_KEY: props.fleetReport?.latestKey,
        FLEET_REPORT_LINK_HOURS: props.fleetReport ? String(props.fleetReport.linkHours) : undefined,
        ...this.#powertools(),
      }, scanCompletedPattern(minSeverity, { baseline: true }), 'Periscope: Slack digest of each scan with new findings at or above the threshold (and baselines)');
      secret.grantRead(fn);
      this.#acknowledgeSecret(fn, 'the Slack secret');
      props.fleetReport?.grantLatestRead(fn);
    }
    if (jira) {
      const { secretName, baseUrl, clusterUrl, docsUrl, sweepRate, ...settings } = jira;
      const secret = secretsmanager.Secret.fromSecretNameV2(this, 'JiraSecret', secretName);
      const links = { ...(clusterUrl ? { clusterUrl } : {}), ...(docsUrl ? { docsUrl } : {}) };
      const fn = this.#notifier('notify-jira', {
        TABLE_NAME: props.table.tableName,
        JIRA_SECRET_ID: secretName,
        JIRA_SETTINGS: JSON.stringify({ ...settings, links }),
        JIRA_BASE_URL: baseUrl || undefined,
        ...this.#powertools(),
      }, scanCompletedPattern(jira.minSeverity ?? 'high', { resolved: true, openCounts: true }), 'Periscope: Jira tickets (one per rule × cluster) kept in step with each scan');
      secret.grantRead(fn);
      this.#acknowledgeSecret(fn, 'the Jira secret');
      // Reads the cluster's findings and tickets; writes only ticket items (conditional writes).
      props.table.grant(fn, 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem');
      this.jiraSweep = this.#jiraSweep(fn, sweepRate ?? defaultJiraSweepRate);
    }
    if (props.securityHub) {
      const hub = new SecurityHubNotifier(this, 'SecurityHub', {
        ...props.securityHub,
        bus: props.bus,
        logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
        alarmActions: props.alarmActions ?? [],
        powertools: this.#powertools(),
      });
      this.securityHub = hub;
      this.functions['notify-securityhub'] = hub.function;
      this.deadLetterQueues['notify-securityhub'] = hub.deadLetterQueue;
      this.rules['notify-securityhub'] = hub.rule;
      this.alarms.push(hub.alarm);
    }
  }

  /**
   * The sweep: Scan Completed reaches the function only when it matches the severity filter, so a ticket whose
   * close or create failed during a Jira outage would wait forever once its cluster stops changing. The sweep
   * syncs every cluster with an unsettled ticket item; a settled one costs one Query and no Jira call.
   */
  #jiraSweep(fn: nodejs.NodejsFunction, rate: string): scheduler.Schedule {
    const role = new iam.Role(this, 'JiraSweepSchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Periscope: EventBridge Scheduler invokes notify-jira for the Jira sweep.',
    });
    acknowledgeWildcards(role, [`${fn.functionArn}:*`], 'EventBridge Scheduler invokes the notify-jira function (the grant covers its versions).');
    return new scheduler.Schedule(this, 'JiraSweepSchedule', {
      description: 'Periscope: retry Jira tickets left pending by a Jira outage (a failed create or close)',
      schedule: scheduler.ScheduleExpression.expression(rate),
      target: new schedulerTargets.LambdaInvoke(fn, {
        role,
        input: scheduler.ScheduleTargetInput.fromObject(jiraSweepEvent),
        ...(this.deadLetterQueues['notify-jira'] ? { deadLetterQueue: this.deadLetterQueues['notify-jira'] } : {}),
        retryAttempts: 2,
        // A sweep that could not run is replaced by the next one.
        maxEventAge: Duration.hours(1),
      }),
    });
  }

  #acknowledgeSecret(fn: nodejs.NodejsFunction, what: string): void {
    if (fn.role) acknowledge(fn.role, 'AwsSolutions-IAM5', `Reading ${what} by name: Secrets Manager ARNs end in a random 6-character suffix (<name>-??????).`);
  }

  /** What Powertools reads in each notifier (functions/runtime.ts). */
  #powertools(): { POWERTOOLS_SERVICE_NAME: string; POWERTOOLS_METRICS_NAMESPACE: string } {
    return {
      POWERTOOLS_SERVICE_NAME: this.#props.serviceName ?? 'periscope',
      POWERTOOLS_METRICS_NAMESPACE: this.#props.metricsNamespace ?? 'Periscope',
    };
  }

  #notifier<N extends NotifierName>(name: N, environment: FunctionEnvironment<N>, pattern: events.EventPattern, description: string): nodejs.NodejsFunction {
    const id = constructIdOf(name);
    const props = this.#props;
    const dlq = new sqs.Queue(this, `${id}Dlq`, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(dlq, 'AwsSolutions-SQS3', `This queue is the dead-letter queue of ${name} (EventBridge delivery and Lambda async failures).`);
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Periscope ${name}: reads its secret${name === 'notify-jira' ? ' and the findings table' : ''}, writes its logs.`,
    });
    const fn = periscopeFunction(this, id, {
      entry: notifierFunctions[name],
      role,
      logRetentionDays: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      timeout: Duration.minutes(name === 'notify-jira' ? 5 : 1),
      memorySize: 256,
      environment: lambdaEnvironment(environment),
      // Failed async invocations (after Lambda's own retries) land in the DLQ too.
      deadLetterQueue: dlq,
      retryAttempts: 2,
    });
    acknowledge(role, 'AwsSolutions-IAM5', `Writing its own log streams (${name}): CloudWatch Logs scopes streams as <log group ARN>:*.`);
    const rule = new events.Rule(this, `${id}Rule`, {
      eventBus: props.bus,
      description,
      eventPattern: pattern,
      targets: [new targets.LambdaFunction(fn, { deadLetterQueue: dlq, retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });
    this.alarms.push(deadLetterAlarm(this, `${id}DlqAlarm`, dlq, `Periscope ${name}: notifications failed and wait in the dead-letter queue; see the function's logs.`, props.alarmActions));
    this.functions[name] = fn;
    this.deadLetterQueues[name] = dlq;
    this.rules[name] = rule;
    return fn;
  }
}

// PeriscopeScanner: the whole serverless pipeline as one construct, embeddable in any CDK app.
// EKS CloudTrail events and a schedule → ScanRequests on SQS → the scan function → DynamoDB + Periscope's bus.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { aws_lambda_nodejs as nodejs } from 'aws-cdk-lib';
import {
  Aws,
  Duration,
  RemovalPolicy,
  Stack,
  aws_cloudwatch as cloudwatch,
  aws_dynamodb as dynamodb,
  aws_ec2 as ec2,
  aws_eks as eks,
  aws_events as events,
  aws_events_targets as targets,
  aws_iam as iam,
  aws_lambda_destinations as destinations,
  aws_lambda_event_sources as sources,
  aws_scheduler as scheduler,
  aws_scheduler_targets as schedulerTargets,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { clusterChangingEvents } from '../shared/pipeline/cloudtrail.ts';
import { findingsTable } from '../shared/store/table.ts';
import { lambdaFunctions, repoRoot, type LambdaName } from './bundling.ts';
import type { FunctionEnvironment } from '../functions/environment.ts';
import { constructIdOf, lambdaEnvironment, periscopeFunction } from './lambda.ts';
import { acknowledge, acknowledgeWildcards } from './nag.ts';
import { PeriscopeNotifiers } from './notifiers.ts';
import { PeriscopeAuditStream } from './audit-stream.ts';
import { auditFilterPattern } from '../shared/audit/relevance.ts';
import { PeriscopeFleetReport } from './fleet-report.ts';
import type { PeriscopeConfig } from './config.ts';

export const adminViewPolicyArn = (partition: string): string =>
  `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy`;

export const metricsNamespace = 'Periscope';
export const serviceName = 'periscope';

/** EKS read calls a scan makes (DescribeCluster and friends). */
export const eksReadActions = [
  'eks:DescribeAccessEntry',
  'eks:DescribeAddon',
  'eks:DescribeCluster',
  'eks:DescribeNodegroup',
  'eks:DescribePodIdentityAssociation',
  'eks:ListAccessEntries',
  'eks:ListAddons',
  'eks:ListAssociatedAccessPolicies',
  'eks:ListNodegroups',
  'eks:ListPodIdentityAssociations',
];
/** EKS calls that IAM does not scope to a resource. */
export const eksUnscopedActions = ['eks:DescribeAddonVersions', 'eks:DescribeClusterVersions', 'eks:ListClusters'];

interface ScannerVpc {
  vpc: ec2.IVpc;
  subnets: ec2.ISubnet[];
  securityGroup: ec2.ISecurityGroup;
}

export interface PeriscopeScannerProps {
  config: PeriscopeConfig;
  /** Actions for the alarms (an SNS topic action, say). */
  alarmActions?: cloudwatch.IAlarmAction[];
  /** Keep the table when the stack is deleted (default true). */
  retainData?: boolean;
}

export class PeriscopeScanner extends Construct {
  readonly table: dynamodb.Table;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly bus: events.EventBus;
  readonly scannerRole: iam.Role;
  readonly functions: Record<LambdaName, nodejs.NodejsFunction>;
  /** The live change stream (EKS audit logs), when configured. */
  readonly auditStream: PeriscopeAuditStream | undefined;
  /** The Slack and Jira notifiers, when configured. */
  readonly notifiers: PeriscopeNotifiers | undefined;
  /** The scheduled fleet report, when configured. */
  readonly fleetReport: PeriscopeFleetReport | undefined;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  readonly #config: PeriscopeConfig;
  readonly #alarmActions: cloudwatch.IAlarmAction[];
  readonly #vpc: ScannerVpc | undefined;

  constructor(scope: Construct, id: string, props: PeriscopeScannerProps) {
    super(scope, id);
    const { config } = props;
    this.#config = config;
    this.#alarmActions = props.alarmActions ?? [];
    const stack = Stack.of(this);

    this.table = this.#findingsTable(props.retainData ?? true);
    this.deadLetterQueue = new sqs.Queue(this, 'ScanRequestsDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, 'AwsSolutions-SQS3', 'This queue is the dead-letter queue of the scan requests.');
    const scanTimeout = Duration.minutes(10);
    this.queue = new sqs.Queue(this, 'ScanRequests', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Lambda's guidance: at least six times the function timeout.
      visibilityTimeout: Duration.minutes(scanTimeout.toMinutes() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 3 },
    });
    this.bus = new events.EventBus(this, 'Bus', { description: 'Periscope: Scan Completed, Finding Opened, Finding Resolved' });

    this.scannerRole = new iam.Role(this, 'ScannerRole', {
      roleName: config.scannerRoleName,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Periscope scanner: reads EKS and the Kubernetes API (access entry AmazonEKSAdminViewPolicy).',
    });
    this.#vpc = this.#vpcSettings();

    const discoveryTargets = this.#discoveryTargets();
    const reach = {
      DISCOVERY_TARGETS: stack.toJsonString(discoveryTargets),
      EXTERNAL_ID: config.externalId || undefined,
    } satisfies Partial<FunctionEnvironment<'discover'>>;
    const common = {
      TABLE_NAME: this.table.tableName,
      QUEUE_URL: this.queue.queueUrl,
      BUS_NAME: this.bus.eventBusName,
      SCANNER_ROLE_ARN: this.scannerRole.roleArn,
      POWERTOOLS_SERVICE_NAME: serviceName,
      POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
    } satisfies FunctionEnvironment<'cluster-events'>;
    const eventsRole = new iam.Role(this, 'ClusterEventsRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    this.functions = {
      'cluster-events': this.#function('cluster-events', eventsRole, { timeout: Duration.minutes(1), memorySize: 256, environment: common }),
      discover: this.#function('discover', this.scannerRole, {
        timeout: Duration.minutes(5),
        memorySize: 512,
        environment: { ...common, ...reach },
      }),
      scan: this.#function('scan', this.scannerRole, {
        timeout: scanTimeout,
        memorySize: 1024,
        inVpc: true,
        environment: {
          ...common,
          ...reach,
          STRICT: config.strict ? 'true' : 'false',
          AUTO_ENROL: config.autoEnrol ? 'true' : 'false',
          AUDIT_STREAM: config.auditStream ? 'true' : undefined,
          MAX_WAIT_SECONDS: String(config.maxWaitMinutes * 60),
          LEASE_TTL_SECONDS: String(scanTimeout.toSeconds() + 60),
          EXCEPTIONS_FILE: config.exceptionsFile ? 'exceptions.yaml' : undefined,
          RULE_SETTINGS: Object.keys(config.rules).length > 0 ? JSON.stringify(config.rules) : undefined,
        },
      }),
    };

    this.#grants(eventsRole, discoveryTargets);
    this.#triggers();
    this.#accessEntries();
    this.#crossAccountEvents();
    this.auditStream = this.#auditStream();
    this.fleetReport = this.#fleetReport(props.retainData ?? true);
    this.notifiers = this.#notifiers();
    this.dashboard = this.#observability(this.#alarmActions);
  }

  /** EKS audit logs → audit-events (cdk/audit-stream.ts): subscription filters on the configured clusters, and a
   * destination for the member accounts. */
  #auditStream(): PeriscopeAuditStream | undefined {
    const settings = this.#config.auditStream;
    if (!settings) return undefined;
    const stream = new PeriscopeAuditStream(this, 'AuditStream', {
      table: this.table,
      queue: this.queue,
      bus: this.bus,
      clusters: settings.clusters,
      memberAccounts: this.#config.targetAccounts.map((account) => account.accountId),
      filterPattern: auditFilterPattern(),
      rescanWindowSeconds: settings.rescanWindowSeconds,
      logRetentionDays: this.#config.logRetentionDays,
      serviceName,
      metricsNamespace,
    });
    acknowledgeWildcards(stream.role, [`${this.table.tableArn}/index/*`], 'The audit-events role is granted the findings table with its GSIs, addressed as <table ARN>/index/*.');
    return stream;
  }

  /** The fleet report (cdk/fleet-report.ts): on its schedule, from the table to its bucket. */
  #fleetReport(retainData: boolean): PeriscopeFleetReport | undefined {
    const settings = this.#config.fleetReport;
    if (!settings) return undefined;
    return new PeriscopeFleetReport(this, 'FleetReport', {
      table: this.table,
      ...settings,
      logRetention: this.#config.logRetentionDays,
      alarmActions: this.#alarmActions,
      serviceName,
      metricsNamespace,
      retainData,
    });
  }

  /** Slack and Jira (cdk/notifiers.ts): subscribed to Scan Completed on Periscope's bus. */
  #notifiers(): PeriscopeNotifiers | undefined {
    const { slack, jira, securityHub, logRetentionDays } = this.#config;
    if (!slack && !jira && !securityHub) return undefined;
    const notifiers = new PeriscopeNotifiers(this, 'Notifiers', {
      bus: this.bus,
      table: this.table,
      ...(slack ? { slack } : {}),
      ...(jira ? { jira } : {}),
      ...(securityHub ? { securityHub } : {}),
      ...(this.fleetReport ? { fleetReport: this.fleetReport } : {}),
      logRetention: logRetentionDays,
      alarmActions: this.#alarmActions,
      serviceName,
      metricsNamespace,
    });
    const jiraRole = notifiers.functions['notify-jira']?.role;
    if (jiraRole) {
      acknowledgeWildcards(jiraRole, [`${this.table.tableArn}/index/*`], 'Jira sync queries the findings table GSIs, addressed as <table ARN>/index/*.');
    }
    return notifiers;
  }

  #findingsTable(retain: boolean): dynamodb.Table {
    const table = new dynamodb.Table(this, 'Findings', {
      partitionKey: { name: findingsTable.partitionKey.name, type: dynamodb.AttributeType.STRING },
      sortKey: { name: findingsTable.sortKey.name, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      timeToLiveAttribute: findingsTable.timeToLiveAttribute,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of findingsTable.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey.name, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey.name, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }

  #vpcSettings(): ScannerVpc | undefined {
    const settings = this.#config.vpc;
    if (!settings) return undefined;
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: settings.vpcId,
      availabilityZones: settings.availabilityZones,
      privateSubnetIds: settings.privateSubnetIds,
    });
    const subnets = settings.privateSubnetIds.map((id, i) => ec2.Subnet.fromSubnetId(this, `Subnet${i}`, id));
    let securityGroup: ec2.ISecurityGroup;
    if (settings.securityGroupId) {
      securityGroup = ec2.SecurityGroup.fromSecurityGroupId(this, 'ScannerSg', settings.securityGroupId);
    } else {
      const created = new ec2.SecurityGroup(this, 'ScannerSg', {
        vpc,
        allowAllOutbound: false,
        description: 'Periscope scanner: HTTPS to cluster endpoints and AWS APIs only',
      });
      created.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'Kubernetes API endpoints and AWS APIs');
      securityGroup = created;
    }
    return { vpc, subnets, securityGroup };
  }

  /** Where discovery lists clusters: the scanner's regions in its own account, then each target account. */
  #discoveryTargets(): { accountId: string; region: string; roleArn?: string }[] {
    const stack = Stack.of(this);
    const regions = this.#config.regions.length > 0 ? this.#config.regions : [stack.region];
    const own = regions.map((region) => ({ accountId: stack.account, region }));
    const remote = this.#config.targetAccounts.flatMap((account) =>
      (account.regions ?? regions).map((region) => ({
        accountId: account.accountId,
        region,
        roleArn: `arn:${Aws.PARTITION}:iam::${account.accountId}:role/${account.roleName}`,
      })),
    );
    return [...own, ...remote];
  }

  #function<N extends LambdaName>(
    name: N,
    role: iam.Role,
    options: { timeout: Duration; memorySize: number; environment: FunctionEnvironment<N>; inVpc?: boolean },
  ): nodejs.NodejsFunction {
    const exceptionsFile = name === 'scan' && this.#config.exceptionsFile ? path.resolve(repoRoot, this.#config.exceptionsFile) : undefined;
    if (exceptionsFile && !existsSync(exceptionsFile)) {
      throw new Error(`exceptionsFile ${exceptionsFile} does not exist: fix the path in the Periscope configuration (relative to ${repoRoot}).`);
    }
    const vpc = options.inVpc ? this.#vpc : undefined;
    const fn = periscopeFunction(this, constructIdOf(name), {
      entry: lambdaFunctions[name],
      role,
      logRetentionDays: this.#config.logRetentionDays,
      timeout: options.timeout,
      memorySize: options.memorySize,
      environment: lambdaEnvironment(options.environment),
      ...(vpc ? { vpc: vpc.vpc, vpcSubnets: { subnets: vpc.subnets }, securityGroups: [vpc.securityGroup] } : {}),
      ...(exceptionsFile
        ? {
            bundling: {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_input: string, output: string) => [`cp "${exceptionsFile}" "${output}/exceptions.yaml"`],
              },
            },
          }
        : {}),
    });
    if (vpc) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: [
            'ec2:AssignPrivateIpAddresses',
            'ec2:CreateNetworkInterface',
            'ec2:DeleteNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
      acknowledgeWildcards(role, ['*'], 'Lambda in a VPC manages its network interfaces; EC2 does not scope these actions to a resource.');
    }
    return fn;
  }

  #grants(eventsRole: iam.Role, discoveryTargets: { accountId: string; region: string; roleArn?: string }[]): void {
    const stack = Stack.of(this);
    const role = this.scannerRole;
    // The findings table: items and its indexes, never the table's control plane.
    const dataActions = ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem',
      'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'];
    this.table.grant(role, ...dataActions);
    this.table.grant(eventsRole, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem');
    for (const principal of [role, eventsRole]) {
      acknowledgeWildcards(principal, [`${this.table.tableArn}/index/*`], 'Queries on the findings table GSIs (open-by-rule, open-by-severity, inventory), addressed as <table ARN>/index/*.');
      this.queue.grantSendMessages(principal);
      this.bus.grantPutEventsTo(principal);
    }

    const ownRegions = [...new Set(discoveryTargets.filter((t) => !t.roleArn).map((t) => t.region))];
    const clusterScoped = ownRegions.flatMap((region) =>
      ['cluster/*', 'nodegroup/*', 'addon/*', 'access-entry/*', 'podidentityassociation/*'].map(
        (resource) => `arn:${Aws.PARTITION}:eks:${region}:${stack.account}:${resource}`,
      ),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: eksReadActions, resources: clusterScoped }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: eksUnscopedActions, resources: ['*'] }));
    acknowledgeWildcards(role, clusterScoped, 'The scanner reads every EKS cluster of its account in the configured regions: clusters appear at any time, so they cannot be listed at deploy time.');
    acknowledgeWildcards(role, ['*'], 'eks:ListClusters, eks:DescribeAddonVersions and eks:DescribeClusterVersions support no resource-level permissions.');

    const assumable = [...new Set(discoveryTargets.flatMap((t) => (t.roleArn ? [t.roleArn] : [])))];
    if (assumable.length > 0) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: assumable }));
    }
    if (this.#config.autoEnrol) {
      const partition = Aws.PARTITION;
      const clusters = ownRegions.map((region) => `arn:${partition}:eks:${region}:${stack.account}:cluster/*`);
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['eks:CreateAccessEntry'],
          resources: clusters,
          // Only its own entry, STANDARD, with no Kubernetes groups and no custom username: a group or a username
          // would reach RBAC bindings (system:masters, say) beyond the read-only access policy below.
          conditions: {
            StringEquals: { 'eks:principalArn': role.roleArn, 'eks:accessEntryType': 'STANDARD' },
            Null: { 'eks:kubernetesGroups': 'true', 'eks:username': 'true' },
          },
        }),
      );
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['eks:AssociateAccessPolicy'],
          resources: ownRegions.map((region) => `arn:${partition}:eks:${region}:${stack.account}:access-entry/*`),
          conditions: {
            StringEquals: { 'eks:principalArn': role.roleArn, 'eks:policyArn': adminViewPolicyArn(partition), 'eks:accessScope': 'cluster' },
            Null: { 'eks:namespaces': 'true' },
          },
        }),
      );
      acknowledgeWildcards(
        role,
        ownRegions.map((region) => `arn:${partition}:eks:${region}:${stack.account}:access-entry/*`),
        'Auto-enrol: any cluster of the account, but only for the scanner role itself and only AmazonEKSAdminViewPolicy (IAM conditions).',
      );
    }
  }

  #triggers(): void {
    const eventsFn = this.functions['cluster-events'];
    const triggerDlq = new sqs.Queue(this, 'TriggerDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(triggerDlq, 'AwsSolutions-SQS3', 'This queue is the dead-letter queue of the EventBridge rule and the schedule.');
    // Events whose handling failed after Lambda's own retries (a DeleteCluster during a scan, say) are kept too.
    for (const fn of [eventsFn, this.functions.discover]) {
      fn.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(triggerDlq), retryAttempts: 2, maxEventAge: Duration.hours(6) });
    }
    new events.Rule(this, 'EksApiCalls', {
      description: 'Periscope: EKS changes recorded by CloudTrail (needs a trail with management events)',
      eventPattern: {
        source: ['aws.eks'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['eks.amazonaws.com'], eventName: [...clusterChangingEvents] },
      },
      targets: [new targets.LambdaFunction(eventsFn, { deadLetterQueue: triggerDlq, retryAttempts: 4, maxEventAge: Duration.hours(2) })],
    });

    const schedulerRole = new iam.Role(this, 'SchedulerRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
    acknowledgeWildcards(schedulerRole, [`${this.functions.discover.functionArn}:*`], 'EventBridge Scheduler invokes the discover function (the grant covers its versions).');
    new scheduler.Schedule(this, 'DiscoverySchedule', {
      description: 'Periscope: list clusters in every configured account and region, and scan them',
      schedule: scheduler.ScheduleExpression.expression(this.#config.schedule),
      target: new schedulerTargets.LambdaInvoke(this.functions.discover, {
        role: schedulerRole,
        input: scheduler.ScheduleTargetInput.fromObject({ source: 'periscope.schedule', action: 'discover' }),
        deadLetterQueue: triggerDlq,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    });

    this.functions.scan.addEventSource(
      new sources.SqsEventSource(this.queue, {
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: this.#config.scanConcurrency,
      }),
    );
  }

  /** Access entries for listed clusters of this account and region: the scanner role, AmazonEKSAdminViewPolicy. */
  #accessEntries(): void {
    for (const clusterName of this.#config.grantClusters) {
      new eks.CfnAccessEntry(this, `Access${clusterName.replace(/[^A-Za-z0-9]/g, '')}`, {
        clusterName,
        principalArn: this.scannerRole.roleArn,
        type: 'STANDARD',
        accessPolicies: [{ policyArn: adminViewPolicyArn(Aws.PARTITION), accessScope: { type: 'cluster' } }],
      });
    }
  }

  /** Target accounts forward their EKS CloudTrail events to this account's default bus. */
  #crossAccountEvents(): void {
    for (const account of this.#config.targetAccounts) {
      new events.CfnEventBusPolicy(this, `AcceptEksEvents${account.accountId}`, {
        eventBusName: 'default',
        statementId: `periscope-eks-events-${account.accountId}`,
        statement: {
          Effect: 'Allow',
          Principal: { AWS: `arn:${Aws.PARTITION}:iam::${account.accountId}:root` },
          Action: 'events:PutEvents',
          Resource: `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:event-bus/default`,
          Condition: { StringEquals: { 'events:source': 'aws.eks' } },
        },
      });
    }
  }

  #observability(actions: cloudwatch.IAlarmAction[]): cloudwatch.Dashboard {
    const metric = (name: string, statistic = 'Sum') =>
      new cloudwatch.Metric({ namespace: metricsNamespace, metricName: name, dimensionsMap: { service: serviceName }, statistic, period: Duration.minutes(5) });
    const alarm = (id: string, props: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, id, props);
      for (const action of actions) created.addAlarmAction(action);
      this.alarms.push(created);
    };
    alarm('DlqDepthAlarm', {
      alarmDescription: 'Periscope: scan requests reached the DLQ (each message body holds the request; the scan function logs its error).',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm('ScanErrorsAlarm', {
      alarmDescription: 'Periscope: scans failed (see the scan function logs: the error names the cluster).',
      metric: metric('ScanErrors'),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const allFunctions = {
      ...this.functions,
      ...this.notifiers?.functions,
      ...(this.auditStream ? { 'audit-events': this.auditStream.function } : {}),
      ...(this.fleetReport ? { 'fleet-report': this.fleetReport.function } : {}),
    };
    this.alarms.push(...(this.fleetReport?.alarms ?? []));
    for (const [name, fn] of Object.entries(allFunctions)) {
      alarm(`${constructIdOf(name)}FunctionErrorsAlarm`, {
        alarmDescription: `Periscope: the ${name} function failed.`,
        metric: fn.metricErrors({ period: Duration.minutes(5) }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Scans', left: [metric('ScansCompleted'), metric('ScanErrors'), metric('ScansDeferred')] }),
      new cloudwatch.GraphWidget({ title: 'Findings', left: [metric('FindingsOpened'), metric('FindingsResolved')] }),
      new cloudwatch.GraphWidget({
        title: 'Queues',
        left: [this.queue.metricApproximateNumberOfMessagesVisible(), this.deadLetterQueue.metricApproximateNumberOfMessagesVisible()],
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Function errors', left: Object.values(allFunctions).map((fn) => fn.metricErrors()) }),
      new cloudwatch.GraphWidget({ title: 'Function duration (p90)', left: Object.values(allFunctions).map((fn) => fn.metricDuration({ statistic: 'p90' })) }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms }),
    );
    return dashboard;
  }
}

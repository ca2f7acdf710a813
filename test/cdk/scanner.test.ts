import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { clusterChangingEvents } from '../../shared/pipeline/cloudtrail.ts';
import type { PeriscopeConfigInput } from '../../cdk/config.ts';
import { jiraSettingsSchema } from '../../shared/notify/jira/issue.ts';
import { findingsTable } from '../../shared/store/table.ts';
import { actionsOf, statementsOf, synthScanner } from './synth.ts';

let synth: ReturnType<typeof synthScanner>;
const notifierLinks = { clusterUrl: 'https://console.example.com/eks/{region}/{name}', docsUrl: 'https://example.com/docs/rules.md' };
const jiraConfig = {
  projectKey: 'SEC',
  minSeverity: 'critical',
  flavour: 'data-center',
  baseUrl: 'https://jira.example.com',
  issueType: 'Bug',
  labels: ['periscope', 'security'],
  priorities: { critical: 'Blocker', high: 'Critical' },
  doneTransition: 'Close Issue',
  reopenTransition: 'Reopen Issue',
  perFindingSeverities: ['critical'],
} satisfies Omit<NonNullable<PeriscopeConfigInput['jira']>, 'secretName'>;

/** The environment variables of the function whose environment has `key`. */
function environmentWith(key: string): Record<string, string> {
  const functions = Object.values(synth.template.findResources('AWS::Lambda::Function')) as { Properties: { Environment?: { Variables?: Record<string, string> } } }[];
  const found = functions.map((f) => f.Properties.Environment?.Variables ?? {}).filter((variables) => key in variables);
  expect(found, key).toHaveLength(1);
  return found[0]!;
}

beforeAll(() => {
  // Every option on, so cdk-nag sees the largest stack.
  synth = synthScanner(
    {
      regions: ['eu-west-1', 'eu-central-1'],
      targetAccounts: [{ accountId: '444455556666', roleName: 'periscope-read' }],
      externalId: 'periscope-ext-1',
      schedule: 'rate(2 hours)',
      grantClusters: ['payments-prod', 'batch'],
      autoEnrol: true,
      strict: true,
      vpc: {
        vpcId: 'vpc-0abc1234def567890',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        privateSubnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
      },
      maxWaitMinutes: 30,
      scanConcurrency: 20,
      slack: { webhookSecretName: 'periscope/slack', minSeverity: 'high', clusterUrl: notifierLinks.clusterUrl, docsUrl: notifierLinks.docsUrl },
      jira: { secretName: 'periscope/jira', ...jiraConfig, ...notifierLinks },
    },
    { account: '111122223333', region: 'eu-west-1' },
  );
});

describe('PeriscopeScanner template', () => {
  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    const reportFile = path.join(synth.assembly.directory, 'validation-report.json');
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { pluginReports: { violations?: unknown[] }[] };
    expect(report.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
  });

  it('runs Node.js 24 arm64 functions: the three of the pipeline and the two notifiers', () => {
    const functions = synth.template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(5);
    for (const fn of Object.values(functions) as { Properties: Record<string, unknown> }[]) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
    }
  });

  it('keeps findings in an on-demand, PITR, encrypted, deletion-protected table built from the shared definition', () => {
    synth.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: findingsTable.timeToLiveAttribute, Enabled: true },
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: findingsTable.indexes.map((index) =>
          Match.objectLike({ IndexName: index.name, Projection: { ProjectionType: 'ALL' } }),
        ),
      },
    });
  });

  it('queues scan requests with SSE, TLS only, and a DLQ after 3 receives', () => {
    const queues = Object.values(synth.template.findResources('AWS::SQS::Queue')) as { Properties: Record<string, unknown> }[];
    // Scan requests, their DLQ, the trigger DLQ, and one DLQ per notifier.
    expect(queues).toHaveLength(5);
    for (const queue of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    synth.template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { maxReceiveCount: 3 },
      VisibilityTimeout: 3600,
    });
    const policies = Object.values(synth.template.findResources('AWS::SQS::QueuePolicy')) as { Properties: { PolicyDocument: { Statement: unknown[] } } }[];
    expect(policies).toHaveLength(5);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('scans one request per invocation with partial batch failures and bounded concurrency', () => {
    synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 20 },
    });
  });

  it('routes the mutating EKS CloudTrail events to cluster-events', () => {
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.eks'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['eks.amazonaws.com'], eventName: [...clusterChangingEvents] },
      },
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
    expect(clusterChangingEvents).toEqual(expect.arrayContaining(['CreateCluster', 'DeleteCluster', 'AssociateAccessPolicy', 'UpdateNodegroupConfig', 'CreateAddon']));
  });

  it('keeps events whose handling failed after Lambda retries in the trigger DLQ', () => {
    const configs = (Object.values(synth.template.findResources('AWS::Lambda::EventInvokeConfig')) as { Properties: Record<string, unknown> }[]).filter(
      (c) => c.Properties.DestinationConfig !== undefined,
    );
    expect(configs).toHaveLength(2);
    for (const config of configs) {
      expect(config.Properties).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: expect.anything() } } });
    }
  });

  it('runs discovery on the configured schedule', () => {
    synth.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(2 hours)',
      Target: Match.objectLike({ DeadLetterConfig: Match.anyValue() }),
    });
  });

  it('grants no wildcard action anywhere', () => {
    const statements = statementsOf(synth.template);
    expect(statements.length).toBeGreaterThan(5);
    for (const statement of statements) {
      for (const action of actionsOf(statement)) expect(action, JSON.stringify(statement)).not.toMatch(/\*/);
    }
  });

  it('lets the scanner assume only the configured target roles, and auto-enrol only itself with AdminView', () => {
    const statements = statementsOf(synth.template);
    const assume = statements.filter((s) => actionsOf(s).includes('sts:AssumeRole'));
    expect(assume).toHaveLength(1);
    expect(JSON.stringify(assume[0]?.Resource)).toContain(':iam::444455556666:role/periscope-read');
    const create = statements.find((s) => actionsOf(s).includes('eks:CreateAccessEntry'));
    expect(create?.Condition).toMatchObject({ StringEquals: { 'eks:principalArn': expect.anything() } });
    const associate = statements.find((s) => actionsOf(s).includes('eks:AssociateAccessPolicy'));
    expect(JSON.stringify(associate?.Condition)).toContain('AmazonEKSAdminViewPolicy');
  });

  it('auto-enrol can create only the scanner\'s own STANDARD entry, with no Kubernetes groups or username, and associate only AdminView at cluster scope', () => {
    const statements = statementsOf(synth.template);
    const create = statements.filter((s) => actionsOf(s).includes('eks:CreateAccessEntry'));
    expect(create).toHaveLength(1);
    expect(actionsOf(create[0]!)).toEqual(['eks:CreateAccessEntry']);
    expect(create[0]?.Condition).toEqual({
      StringEquals: { 'eks:principalArn': expect.anything(), 'eks:accessEntryType': 'STANDARD' },
      Null: { 'eks:kubernetesGroups': 'true', 'eks:username': 'true' },
    });
    expect(JSON.stringify(create[0]?.Condition)).toContain('ScannerRole');
    const associate = statements.filter((s) => actionsOf(s).includes('eks:AssociateAccessPolicy'));
    expect(associate).toHaveLength(1);
    expect(associate[0]?.Condition).toEqual({
      StringEquals: { 'eks:principalArn': expect.anything(), 'eks:policyArn': expect.anything(), 'eks:accessScope': 'cluster' },
      Null: { 'eks:namespaces': 'true' },
    });
    expect(JSON.stringify((associate[0]?.Condition as { StringEquals: Record<string, unknown> }).StringEquals['eks:policyArn'])).toContain('cluster-access-policy/AmazonEKSAdminViewPolicy');
    // No other statement grants access-entry writes (an unconditioned copy would undo the conditions).
    const writes = ['eks:CreateAccessEntry', 'eks:UpdateAccessEntry', 'eks:AssociateAccessPolicy', 'eks:DeleteAccessEntry'];
    expect(statements.filter((s) => actionsOf(s).some((a) => writes.includes(a)))).toHaveLength(2);
  });

  it('creates access entries with AmazonEKSAdminViewPolicy for the listed clusters', () => {
    const entries = Object.values(synth.template.findResources('AWS::EKS::AccessEntry')) as { Properties: Record<string, unknown> }[];
    expect(entries.map((e) => e.Properties.ClusterName).sort()).toEqual(['batch', 'payments-prod']);
    expect(entries[0]?.Properties).toMatchObject({
      Type: 'STANDARD',
      AccessPolicies: [{ PolicyArn: expect.anything(), AccessScope: { Type: 'cluster' } }],
    });
    expect(JSON.stringify(entries[0]?.Properties.AccessPolicies)).toContain('AmazonEKSAdminViewPolicy');
  });

  it('puts only the scan function in the VPC, behind a security group that allows HTTPS out only', () => {
    const functions = Object.values(synth.template.findResources('AWS::Lambda::Function')) as { Properties: Record<string, unknown> }[];
    expect(functions.filter((f) => f.Properties.VpcConfig)).toHaveLength(1);
    expect(JSON.stringify(functions.find((f) => f.Properties.VpcConfig)?.Properties.Environment)).toContain('MAX_WAIT_SECONDS');
    synth.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: Match.anyValue() }],
    });
  });

  it('passes the settings to the scan function', () => {
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          STRICT: 'true',
          AUTO_ENROL: 'true',
          EXTERNAL_ID: 'periscope-ext-1',
          MAX_WAIT_SECONDS: '1800',
          TABLE_NAME: Match.anyValue(),
          QUEUE_URL: Match.anyValue(),
          BUS_NAME: Match.anyValue(),
          DISCOVERY_TARGETS: Match.anyValue(),
        }),
      },
      VpcConfig: Match.anyValue(),
    });
  });

  it('accepts EKS events forwarded by target accounts on the default bus', () => {
    synth.template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: 'default',
      StatementId: 'periscope-eks-events-444455556666',
    });
  });

  it('alarms on DLQ depth, scan errors and function errors, and draws a dashboard', () => {
    const alarms = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm')) as { Properties: Record<string, unknown> }[];
    expect(alarms.map((a) => a.Properties.MetricName).sort()).toEqual(
      // The scan DLQ and each notifier's DLQ; errors of the 3 pipeline functions and the 2 notifiers; ScanErrors.
      [...Array(3).fill('ApproximateNumberOfMessagesVisible'), ...Array(5).fill('Errors'), 'ScanErrors'].sort(),
    );
    synth.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it("includes the Slack and Jira notifiers on Periscope's bus when configured", () => {
    const rules = Object.values(synth.template.findResources('AWS::Events::Rule')) as { Properties: { EventPattern: { source?: string[] }; EventBusName?: unknown } }[];
    const onBus = rules.filter((r) => r.Properties.EventBusName !== undefined);
    expect(onBus).toHaveLength(2);
    for (const rule of onBus) expect(rule.Properties.EventPattern.source).toEqual(['periscope']);
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SLACK_SECRET_ID: 'periscope/slack', MIN_SEVERITY: 'high' }) },
    });
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ JIRA_SECRET_ID: 'periscope/jira', JIRA_SETTINGS: Match.stringLikeRegexp('"projectKey":"SEC"') }) },
    });
  });

  it('passes every Slack and Jira setting of the configuration to the notifier functions', () => {
    expect(environmentWith('SLACK_SECRET_ID')).toMatchObject({
      SLACK_SECRET_ID: 'periscope/slack',
      MIN_SEVERITY: 'high',
      CLUSTER_URL: notifierLinks.clusterUrl,
      DOCS_URL: notifierLinks.docsUrl,
    });
    const jira = environmentWith('JIRA_SETTINGS');
    const { baseUrl, ...settings } = jiraConfig;
    expect(jira).toMatchObject({ JIRA_SECRET_ID: 'periscope/jira', JIRA_BASE_URL: baseUrl });
    // Read back the way functions/notify-jira.ts reads it.
    expect(jiraSettingsSchema.parse(JSON.parse(jira.JIRA_SETTINGS!))).toMatchObject({ ...settings, links: notifierLinks });
  });
});

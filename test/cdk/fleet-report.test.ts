// The scheduled fleet report: a private, encrypted, versioned bucket with access logs and lifecycle expiry; the
// function on its schedule with least privilege (Query on the table and its three indexes, PutObject under the
// prefix); the Slack notifier may read only latest.html and is told where it is; cdk-nag stays clean.
import { Match } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../cdk/config.ts';
import { fleetReportEvent } from '../../cdk/fleet-report.ts';
import { actionsOf, statementsOf, synthScanner } from './synth.ts';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

function policyStatementsOfRole(template: ReturnType<typeof synthScanner>['template'], roleId: string) {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }[];
  return policies.filter((p) => p.Properties.Roles.some((r) => r.Ref === roleId)).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('PeriscopeFleetReport', () => {
  const { template, assembly, scanner, stack } = synthScanner({ slack: { webhookSecretName: 'periscope/slack' }, fleetReport: { schedule: 'cron(30 5 * * ? *)', retentionDays: 30, linkHours: 6 } });
  const report = scanner.fleetReport!;
  const bucketId = stack.getLogicalId(report.bucket.node.defaultChild as never);
  const logsId = stack.getLogicalId(report.accessLogs.node.defaultChild as never);
  const fnRoleId = stack.getLogicalId(report.function.role!.node.defaultChild as never);
  const resources = template.toJSON().Resources as Resources;

  it('keeps reports in a private, SSE-encrypted, versioned bucket with access logs, TLS only, expiring old ones', () => {
    const bucket = resources[bucketId]!.Properties;
    expect(bucket).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'reports/' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect((bucket.LifecycleConfiguration as { Rules: unknown[] }).Rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ Prefix: 'fleet-report/', ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' })]),
    );
    expect(resources[logsId]!.Properties).toMatchObject({ PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true }, BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as { Properties: { Bucket: { Ref: string }; PolicyDocument: { Statement: { Effect: string; Condition?: Record<string, Record<string, unknown>> }[] } } }[];
    for (const id of [bucketId, logsId]) {
      const statements = policies.filter((p) => p.Properties.Bucket.Ref === id).flatMap((p) => p.Properties.PolicyDocument.Statement);
      expect(statements.some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'), id).toBe(true);
      expect(statements.some((s) => s.Effect === 'Deny' && s.Condition?.NumericLessThan?.['s3:TlsVersion'] === 1.2), id).toBe(true);
    }
  });

  it('runs the function on the schedule with the fleet-report input, failures to its dead-letter queue', () => {
    const fnId = stack.getLogicalId(report.function.node.defaultChild as never);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 5 * * ? *)',
      Target: { Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, Input: JSON.stringify(fleetReportEvent), DeadLetterConfig: { Arn: Match.anyValue() }, RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }) },
    });
    expect((resources[fnId]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({ REPORT_BUCKET: { Ref: bucketId }, REPORT_PREFIX: 'fleet-report/' });
  });

  it('grants the function only Query on the table and its indexes and PutObject under the report prefix', () => {
    const tableArn = { 'Fn::GetAtt': [stack.getLogicalId(scanner.table.node.defaultChild as never), 'Arn'] };
    const statements = policyStatementsOfRole(template, fnRoleId).filter((s) => !actionsOf(s as never).every((a) => a.startsWith('logs:')));
    // Failed async invocations go to its dead-letter queue.
    const dlqArn = { 'Fn::GetAtt': [stack.getLogicalId(report.deadLetterQueue.node.defaultChild as never), 'Arn'] };
    expect(statements.shift()).toMatchObject({ Action: 'sqs:SendMessage', Resource: dlqArn });
    expect(statements.map((s) => actionsOf(s as never))).toEqual([['dynamodb:Query'], ['s3:PutObject']]);
    expect(statements[0]!.Resource).toEqual([
      tableArn,
      ...['open-by-rule', 'open-by-severity', 'inventory'].map((index) => ({ 'Fn::Join': ['', [tableArn, `/index/${index}`]] })),
    ]);
    expect(statements[1]!.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/fleet-report/*']] });
  });

  it('tells the Slack notifier where the latest report is and lets it read that one key only', () => {
    const slack = scanner.notifiers!.functions['notify-slack']!;
    const slackId = stack.getLogicalId(slack.node.defaultChild as never);
    expect((resources[slackId]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      FLEET_REPORT_BUCKET: { Ref: bucketId },
      FLEET_REPORT_KEY: 'fleet-report/latest.html',
      FLEET_REPORT_LINK_HOURS: '6',
    });
    const s3Statements = policyStatementsOfRole(template, stack.getLogicalId(slack.role!.node.defaultChild as never)).filter((s) => actionsOf(s as never).some((a) => a.startsWith('s3:')));
    expect(s3Statements).toEqual([expect.objectContaining({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/fleet-report/latest.html']] } })]);
    // Nobody else may touch the bucket.
    const others = statementsOf(template).filter((s) => JSON.stringify(s.Resource).includes(bucketId));
    expect(others).toHaveLength(2);
  });

  it('is cdk-nag clean', () => {
    const nag = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as { pluginReports: { violations?: unknown[] }[] };
    expect(nag.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
  });

  it('is off unless configured, and its settings are checked', () => {
    const { template: none } = synthScanner({ slack: { webhookSecretName: 'periscope/slack' } });
    expect(Object.keys(none.findResources('AWS::S3::Bucket'))).toHaveLength(0);
    expect(JSON.stringify(none.toJSON())).not.toContain('FLEET_REPORT');
    expect(() => parseConfig({ fleetReport: { linkHours: 200 } }, 'test config')).toThrow(/fleetReport\.linkHours/);
    expect(() => parseConfig({ fleetReport: { schedule: 'daily' } }, 'test config')).toThrow(/fleetReport\.schedule/);
  });
});

// The Security Hub notifier in the scanner's template: off by default; when configured, the finding events of the
// bus go to a queue with a DLQ, consumed in batches with partial failures, under a least-privilege role; cdk-nag clean.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../cdk/config.ts';
import { findingEventsPattern } from '../../cdk/securityhub.ts';
import { actionsOf, statementsOf, synthScanner } from './synth.ts';

const env = { account: '111122223333', region: 'eu-west-1' };

describe('Security Hub notifier: off', () => {
  const { template, scanner } = synthScanner({}, env);

  it('is not in the template unless configured', () => {
    expect(parseConfig({}, 'test').securityHub).toBeUndefined();
    expect(scanner.notifiers?.securityHub).toBeUndefined();
    expect(statementsOf(template).flatMap(actionsOf).filter((a) => a.startsWith('securityhub:'))).toEqual([]);
    expect(JSON.stringify(template.toJSON())).not.toContain('Finding Suppressed');
  });
});

describe('Security Hub notifier: on', () => {
  const { template, scanner, assembly, stack } = synthScanner({ securityHub: { minSeverity: 'medium', docsUrl: 'https://docs.example/rules.md' } }, env);
  const hub = scanner.notifiers!.securityHub!;
  const id = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);

  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    const report = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as { pluginReports: { violations?: unknown[] }[] };
    expect(report.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
  });

  it('subscribes a queue to the finding events at or above the threshold, with a DLQ for the target', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['periscope'],
        'detail-type': ['Finding Opened', 'Finding Resolved', 'Finding Suppressed'],
        detail: { finding: { severity: ['critical', 'high', 'medium'] } },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [id(hub.queue), 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id(hub.deadLetterQueue), 'Arn'] } } })],
    });
    expect(findingEventsPattern('info').detail).toEqual({ finding: { severity: ['critical', 'high', 'medium', 'low', 'info'] } });
  });

  it('keeps failed events: the queue moves them to an encrypted DLQ after five receives, and an alarm watches it', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [id(hub.deadLetterQueue), 'Arn'] }, maxReceiveCount: 5 },
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 720,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(hub.deadLetterQueue), 'QueueName'] } }],
    });
  });

  it('consumes batches of up to 100 with partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [id(hub.queue), 'Arn'] },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Environment: {
        Variables: Match.objectLike({
          SECURITYHUB_PRODUCT_ARN: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':securityhub:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':product/', { Ref: 'AWS::AccountId' }, '/default']],
          },
          DOCS_URL: 'https://docs.example/rules.md',
        }),
      },
    });
  });

  it('may import only under the default product, and update only the workflow status and note', () => {
    const own = statementsOf(template).filter((s) => actionsOf(s).some((a) => a.startsWith('securityhub:')));
    const text = (value: unknown) => JSON.stringify(value);
    const allowImport = own.filter((s) => s.Effect === 'Allow' && actionsOf(s).includes('securityhub:BatchImportFindings'));
    expect(allowImport).toHaveLength(1);
    expect(text(allowImport[0]!.Resource)).toMatch(/:product\/.*\/default/);
    expect(actionsOf(allowImport[0]!)).toEqual(['securityhub:BatchImportFindings']);
    const allowUpdate = own.filter((s) => s.Effect === 'Allow' && actionsOf(s).includes('securityhub:BatchUpdateFindings'));
    expect(allowUpdate).toHaveLength(1);
    expect(text(allowUpdate[0]!.Resource)).toContain(':hub/default');
    expect(allowUpdate[0]!.Condition).toEqual({ StringEquals: { 'securityhub:ASFFSyntaxPath/Workflow.Status': ['NEW', 'RESOLVED', 'SUPPRESSED'] } });
    const denied = own.filter((s) => s.Effect === 'Deny').map((s) => Object.keys((s.Condition as { Null: Record<string, string> }).Null)[0]);
    expect(denied).toEqual(expect.arrayContaining(['securityhub:ASFFSyntaxPath/Severity.Label', 'securityhub:ASFFSyntaxPath/Types', 'securityhub:ASFFSyntaxPath/VerificationState']));
    expect(own.every((s) => actionsOf(s).every((a) => ['securityhub:BatchImportFindings', 'securityhub:BatchUpdateFindings'].includes(a)))).toBe(true);
    expect(own.some((s) => s.Effect === 'Allow' && text(s.Resource) === '"*"')).toBe(false);
  });

  it('adds the function to the stack alarms and keeps the other notifiers out', () => {
    expect(Object.keys(scanner.notifiers!.functions)).toEqual(['notify-securityhub']);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmDescription: 'Periscope: the notify-securityhub function failed.' });
  });

  it('rejects an unknown field of the setting', () => {
    expect(() => parseConfig({ securityHub: { minSeverity: 'high', productArn: 'x' } }, 'test')).toThrow(/securityHub/);
  });
});

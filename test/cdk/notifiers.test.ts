// The notifiers construct: two functions on Node 24, subscribed to Scan Completed on Periscope's bus with the
// severity filter in the pattern, each with a dead-letter queue; cdk-nag AwsSolutions clean.
import { App, Stack, Validations, aws_dynamodb as dynamodb, aws_events as events } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { PeriscopeNotifiers, scanCompletedPattern } from '../../cdk/notifiers.ts';

function synth(props: Partial<ConstructorParameters<typeof PeriscopeNotifiers>[2]> = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test');
  const bus = new events.EventBus(stack, 'Bus');
  const table = new dynamodb.Table(stack, 'Findings', {
    partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'SK', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
  const notifiers = new PeriscopeNotifiers(stack, 'Notifiers', {
    bus,
    table,
    slack: { webhookSecretName: 'periscope/slack', minSeverity: 'high', docsUrl: 'https://example.com/rules.md' },
    jira: { secretName: 'periscope/jira', projectKey: 'SEC', minSeverity: 'critical', flavour: 'data-center', baseUrl: 'https://jira.example.com' },
    ...props,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  return { notifiers, template: Template.fromStack(stack) };
}

describe('PeriscopeNotifiers', () => {
  const { template, notifiers } = synth();

  it('creates both functions on Node 24 with their settings', () => {
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Environment: { Variables: Match.objectLike({ SLACK_SECRET_ID: 'periscope/slack', MIN_SEVERITY: 'high', DOCS_URL: 'https://example.com/rules.md' }) },
      DeadLetterConfig: { TargetArn: Match.anyValue() },
    });
    const jira = Object.values(template.findResources('AWS::Lambda::Function')).find((f) =>
      JSON.stringify(f).includes('JIRA_SETTINGS'),
    ) as { Properties: { Environment: { Variables: Record<string, unknown> } } };
    const settings = JSON.parse(String(jira.Properties.Environment.Variables.JIRA_SETTINGS)) as Record<string, unknown>;
    expect(settings).toMatchObject({ projectKey: 'SEC', minSeverity: 'critical', flavour: 'data-center' });
    expect(jira.Properties.Environment.Variables.JIRA_BASE_URL).toBe('https://jira.example.com');
  });

  it('subscribes each to Scan Completed on the bus with the severity filter, delivering failures to its DLQ', () => {
    template.resourceCountIs('AWS::Events::Rule', 2);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.anyValue(),
      EventPattern: {
        source: ['periscope'],
        'detail-type': ['Scan Completed'],
        detail: { $or: Match.arrayWith([{ opened: { severity: ['critical', 'high'] } }, { baseline: [true] }]) },
      },
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: Match.anyValue() }, RetryPolicy: Match.anyValue() })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        detail: { $or: Match.arrayWith([{ opened: { severity: ['critical'] } }, { resolved: { severity: ['critical'] } }, { counts: { open: { critical: [{ numeric: ['>', 0] }] } } }]) },
      }),
    });
    template.resourceCountIs('AWS::SQS::Queue', 2);
    expect(notifiers.alarms).toHaveLength(2);
  });

  it('lets the functions read their own secret only, and Jira the table', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('secret:periscope/slack-??????');
    expect(policies).toContain('secret:periscope/jira-??????');
    expect(policies).toContain('dynamodb:UpdateItem');
    expect(policies).not.toContain('dynamodb:DeleteItem');
  });

  it('builds only the notifiers that are configured', () => {
    const { template: slackOnly } = synth({ jira: undefined });
    slackOnly.resourceCountIs('AWS::Lambda::Function', 1);
    slackOnly.resourceCountIs('AWS::Events::Rule', 1);
  });

  it('puts every severity at or above the threshold in the pattern', () => {
    expect(scanCompletedPattern('medium').detail).toEqual({ $or: [{ opened: { severity: ['critical', 'high', 'medium'] } }, { truncated: [true] }] });
  });
});

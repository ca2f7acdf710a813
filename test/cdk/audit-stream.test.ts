// The live change stream in the template: the audit-events function, a subscription filter per configured cluster on
// EKS's own log group with the pattern auditFilterPattern() renders, a KMS-encrypted Kinesis stream behind a CloudWatch
// Logs destination that only the member accounts may subscribe to, least-privilege roles, and cdk-nag clean.
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditDestinationName } from '../../cdk/audit-stream.ts';
import { PeriscopeTargetAccount } from '../../cdk/target-account.ts';
import { auditFilterPattern } from '../../shared/audit/relevance.ts';
import { actionsOf, noBundling, statementsOf, synthScanner } from './synth.ts';

const member = '444455556666';
let synth: ReturnType<typeof synthScanner>;

beforeAll(() => {
  synth = synthScanner(
    {
      targetAccounts: [{ accountId: member }],
      auditStream: { clusters: ['payments-prod', 'batch'], rescanWindowSeconds: 45 },
    },
    { account: '111122223333', region: 'eu-west-1' },
  );
});

describe('PeriscopeAuditStream (scanner account)', () => {
  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    // synthScanner's app.synth() throws ValidationFailed on any error; reaching here means none.
    expect(synth.assembly.stacks.length).toBeGreaterThan(0);
  });

  it('subscribes the audit-events function to each configured cluster’s EKS log group, with the audit filter pattern', () => {
    const filters = synth.template.findResources('AWS::Logs::SubscriptionFilter');
    expect(Object.values(filters).map((f) => (f as { Properties: { LogGroupName: string } }).Properties.LogGroupName).sort()).toEqual([
      '/aws/eks/batch/cluster',
      '/aws/eks/payments-prod/cluster',
    ]);
    synth.template.hasResourceProperties('AWS::Logs::SubscriptionFilter', { FilterPattern: auditFilterPattern(), FilterName: 'periscope-audit' });
    // EKS owns the groups: none is created for them.
    expect(JSON.stringify(synth.template.findResources('AWS::Logs::LogGroup'))).not.toContain('/aws/eks/');
    // CloudWatch Logs may invoke the function, from those log groups only.
    synth.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'logs.amazonaws.com',
      SourceArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('log-group:/aws/eks/payments-prod/cluster:\\*')])]) }),
    });
  });

  it('gives the function its window and the scan function the causes', () => {
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ RESCAN_WINDOW_SECONDS: '45' }) },
    });
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ AUDIT_STREAM: 'true', STRICT: 'false' }) },
    });
  });

  it('receives member accounts through a destination on a KMS-encrypted Kinesis stream', () => {
    synth.template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamEncryption: { EncryptionType: 'KMS', KeyId: Match.anyValue() },
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
    });
    synth.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const destination = Object.values(synth.template.findResources('AWS::Logs::Destination'))[0] as { Properties: { DestinationName: string; DestinationPolicy: unknown } };
    expect(destination.Properties.DestinationName).toBe(auditDestinationName);
    const policy = JSON.stringify(synth.stack.resolve(destination.Properties.DestinationPolicy));
    expect(policy).toContain(member);
    expect(policy).toContain('logs:PutSubscriptionFilter');
    synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'LATEST',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: Match.anyValue() },
    });
    // Only CloudWatch Logs, and only on behalf of the member accounts, may put records through the delivery role.
    synth.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'logs.amazonaws.com' },
            Condition: { StringLike: { 'aws:SourceArn': [Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([`:${member}:*`])]) })] } },
          }),
        ],
      },
    });
  });

  it('grants the function table items, the queue and the bus, and nothing on logs or EKS', () => {
    const role = synth.scanner.auditStream!.role;
    const id = synth.stack.getLogicalId(role.node.defaultChild as never);
    const policies = Object.values(synth.template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(id),
    );
    const actions = policies.flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Parameters<typeof actionsOf>[0][] } } }).Properties.PolicyDocument.Statement.flatMap(actionsOf));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 'dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'sqs:SendMessage', 'events:PutEvents']));
    expect(actions.filter((a) => a.startsWith('logs:PutSubscription') || a.startsWith('eks:') || a === 'dynamodb:Scan' || a === '*')).toEqual([]);
    expect(statementsOf(synth.template).some((s) => actionsOf(s).includes('logs:PutSubscriptionFilter'))).toBe(false);
  });

  it('adds nothing without auditStream (clusters keep today’s scheduled and event scans)', () => {
    const plain = synthScanner({}, { account: '111122223333', region: 'eu-west-1' });
    expect(plain.scanner.auditStream).toBeUndefined();
    plain.template.resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
    plain.template.resourceCountIs('AWS::Kinesis::Stream', 0);
    expect(JSON.stringify(plain.template.toJSON())).not.toContain('AUDIT_STREAM');
  });

  it('makes no destination without member accounts', () => {
    const own = synthScanner({ auditStream: { clusters: ['payments-prod'] } }, { account: '111122223333', region: 'eu-west-1' });
    own.template.resourceCountIs('AWS::Logs::Destination', 0);
    own.template.resourceCountIs('AWS::Logs::SubscriptionFilter', 1);
    own.template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ RESCAN_WINDOW_SECONDS: '60' }) } });
  });
});

describe('PeriscopeTargetAccount: audit subscriptions', () => {
  it('subscribes each listed cluster’s log group to the scanner account’s destination, cdk-nag clean', () => {
    const app = new App({ context: noBundling });
    const stack = new PeriscopeTargetAccount(app, 'Target', { scannerAccountId: '111122223333', auditClusters: ['orders'], env: { account: member, region: 'eu-west-1' } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    app.synth();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
      LogGroupName: '/aws/eks/orders/cluster',
      FilterPattern: auditFilterPattern(),
      // The destination in the scanner account, in the member stack's own region (a StackSet deploys one per region).
      DestinationArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, `:111122223333:destination:${auditDestinationName}`]] },
    });
    expect(JSON.stringify(template.findResources('AWS::Logs::SubscriptionFilter'))).not.toContain('RoleArn');
    const none = Template.fromStack(new PeriscopeTargetAccount(new App({ context: noBundling }), 'T2', { scannerAccountId: '111122223333' }));
    none.resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
  });
});


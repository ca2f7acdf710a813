import { App, Stack, Validations, aws_sqs as sqs } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../cdk/app.ts';
import { parseConfig } from '../../cdk/config.ts';
import { actionsOf, noBundling, statementsOf } from './synth.ts';

let scanner: Template;
let target: Template;

beforeAll(async () => {
  const app = await buildApp(new App({ context: { ...noBundling, scannerAccountId: '111122223333' } }));
  const assembly = app.synth();
  scanner = Template.fromJSON(assembly.getStackByName('Periscope').template as Record<string, unknown>);
  target = Template.fromJSON(assembly.getStackByName('PeriscopeTarget').template as Record<string, unknown>);
});

describe('the CDK app', () => {
  it('deploys the scanner from cdk/periscope.config.ts with its defaults', () => {
    scanner.resourceCountIs('AWS::Lambda::Function', 3);
    scanner.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(6 hours)' });
    scanner.hasResourceProperties('AWS::IAM::Role', { RoleName: 'periscope-scanner' });
    scanner.resourceCountIs('AWS::EKS::AccessEntry', 0);
    expect(statementsOf(scanner).some((s) => actionsOf(s).includes('eks:CreateAccessEntry'))).toBe(false);
  });

  it('outputs the findings table name, which `periscope fleet --stack` reads', () => {
    const outputs = scanner.findOutputs('FindingsTableName');
    expect(Object.keys(outputs)).toEqual(['FindingsTableName']);
    const tables = Object.keys(scanner.findResources('AWS::DynamoDB::Table'));
    expect(outputs.FindingsTableName!.Value).toEqual({ Ref: tables[0] });
  });

  it('the target-account stack: a read-only role trusted by the scanner role, and EKS events forwarded', () => {
    target.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'periscope-read',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:role/periscope-scanner']] } },
          },
        ],
      },
    });
    const actions = statementsOf(target).flatMap(actionsOf);
    // Reads on EKS, and the forwarding rule's PutEvents to the scanner account's bus: nothing else.
    expect(actions.filter((a) => !/^eks:(Describe|List)/.test(a))).toEqual(['events:PutEvents']);
    // Deployable as a StackSet into accounts that were never bootstrapped.
    expect(JSON.stringify(target.toJSON())).not.toContain('BootstrapVersion');
    target.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.eks'] },
      Targets: [{ Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':111122223333:event-bus/default']] } }],
    });
  });

  it('cdk-nag is active: an unencrypted queue without TLS enforcement fails synthesis', () => {
    const app = new App({ context: noBundling });
    new sqs.Queue(new Stack(app, 'Bad'), 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow();
  });
});

describe('parseConfig', () => {
  it('fills defaults', () => {
    expect(parseConfig({}, 'x')).toMatchObject({ schedule: 'rate(6 hours)', strict: false, autoEnrol: false, maxWaitMinutes: 45, scannerRoleName: 'periscope-scanner' });
  });

  it('names every wrong field and the file', () => {
    let message = '';
    try {
      parseConfig({ schedule: 'every hour', targetAccounts: [{ accountId: '123' }], grantClusters: ['bad name!'], logRetentionDays: 8 }, 'cdk/my.config.ts');
    } catch (error) {
      message = String(error);
    }
    expect(message).toContain('cdk/my.config.ts is not a valid Periscope configuration:');
    expect(message).toContain('  schedule: rate(6 hours) or cron(0 */6 * * ? *)');
    expect(message).toContain('  targetAccounts.0.accountId: an AWS account id is 12 digits');
    expect(message).toContain('  grantClusters.0: an EKS cluster name');
    expect(message).toContain('  logRetentionDays:');
  });

  it('refuses unknown fields (a typo must not be silently ignored)', () => {
    expect(() => parseConfig({ autoEnroll: true }, 'x')).toThrow(/autoEnroll/);
  });
});

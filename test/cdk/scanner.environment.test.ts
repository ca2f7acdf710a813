// Every synthesized function's environment parses with its own function's schema (functions/environment.ts), and
// holds nothing the function does not read: the CDK and the functions agree on every variable.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { aws_lambda as lambda } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { functionEnvironments, type FunctionName } from '../../functions/environment.ts';
import type { PeriscopeConfigInput } from '../../cdk/config.ts';
import { synthScanner } from './synth.ts';

type Resource = { Type: string; Properties?: { Environment?: { Variables?: Record<string, unknown> } } };

const account = '111122223333';
const region = 'eu-west-1';
const pseudo: Record<string, string> = { 'AWS::AccountId': account, 'AWS::Region': region, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };

/** What CloudFormation makes of a value at deploy time, for the intrinsics the construct writes; any other fails. */
function deployed(value: unknown, resources: Record<string, Resource>): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as Record<string, unknown>;
  if (typeof intrinsic.Ref === 'string') {
    const id = intrinsic.Ref;
    if (pseudo[id]) return pseudo[id];
    const type = resources[id]?.Type;
    if (type === 'AWS::SQS::Queue') return `https://sqs.${region}.amazonaws.com/${account}/${id}`;
    if (type === 'AWS::DynamoDB::Table' || type === 'AWS::Events::EventBus' || type === 'AWS::S3::Bucket') return id;
    throw new Error(`no deploy-time value for Ref ${id} (${type})`);
  }
  const getAtt = intrinsic['Fn::GetAtt'] as [string, string] | undefined;
  if (getAtt) {
    const [id, attribute] = getAtt;
    const service = resources[id]?.Type.split('::')[1]?.toLowerCase();
    if (attribute === 'Arn') return `arn:aws:${service}::${account}:${id}`;
    if (attribute === 'Name') return id;
    throw new Error(`no deploy-time value for ${id}.${attribute}`);
  }
  const join = intrinsic['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map((part) => deployed(part, resources)).join(join[0]);
  throw new Error(`no deploy-time value for ${JSON.stringify(value)}`);
}

function problemsOf(config: PeriscopeConfigInput): Record<string, string[]> {
  const { scanner, stack, template } = synthScanner(config, { account, region });
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const functions = Object.entries({
    ...scanner.functions,
    ...scanner.notifiers?.functions,
    ...(scanner.auditStream ? { 'audit-events': scanner.auditStream.function } : {}),
    ...(scanner.fleetReport ? { 'fleet-report': scanner.fleetReport.function } : {}),
  }) as [FunctionName, lambda.Function][];
  expect(functions.length, 'every Lambda function of the template is checked').toBe(Object.keys(template.findResources('AWS::Lambda::Function')).length);
  return Object.fromEntries(
    functions.map(([name, fn]) => {
      const id = stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
      const written = resources[id]?.Properties?.Environment?.Variables ?? {};
      const env = Object.fromEntries(Object.entries(written).map(([key, value]) => [key, deployed(value, resources)]));
      const result = functionEnvironments[name].strict().safeParse(env);
      return [name, result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)];
    }),
  );
}

describe('function environments', () => {
  it('parse with their schemas when every option is set', () => {
    const exceptionsFile = path.join(mkdtempSync(path.join(tmpdir(), 'periscope-cdk-')), 'exceptions.yaml');
    writeFileSync(exceptionsFile, '[]\n');
    const problems = problemsOf({
      regions: ['eu-west-1', 'eu-central-1'],
      targetAccounts: [{ accountId: '444455556666', roleName: 'periscope-read' }],
      externalId: 'periscope-ext-1',
      autoEnrol: true,
      strict: true,
      exceptionsFile,
      rules: { 'eks-version-support': { options: { warnDays: 30 } } },
      slack: { webhookSecretName: 'periscope/slack', minSeverity: 'critical', clusterUrl: 'https://c.example.com/{name}', docsUrl: 'https://d.example.com/rules.md' },
      jira: { secretName: 'periscope/jira', projectKey: 'SEC', baseUrl: 'https://jira.example.com', clusterUrl: 'https://c.example.com/{name}' },
      securityHub: { minSeverity: 'high', docsUrl: 'https://d.example.com/rules.md' },
      auditStream: { clusters: ['payments-prod'], rescanWindowSeconds: 30 },
      fleetReport: { schedule: 'rate(12 hours)', retentionDays: 30, linkHours: 24, staleAfterHours: 24, trendDays: 30 },
    });
    expect(problems).toEqual({ 'cluster-events': [], discover: [], scan: [], 'notify-slack': [], 'notify-jira': [], 'notify-securityhub': [], 'audit-events': [], 'fleet-report': [] });
  });

  it('parse with their schemas when only what is required is set', () => {
    expect(problemsOf({ slack: { webhookSecretName: 'periscope/slack' }, jira: { secretName: 'periscope/jira', projectKey: 'SEC' }, securityHub: {}, fleetReport: {} })).toEqual({
      'cluster-events': [],
      discover: [],
      scan: [],
      'notify-slack': [],
      'notify-jira': [],
      'notify-securityhub': [],
      'fleet-report': [],
    });
  });

  it('the check itself works: a variable no schema knows, or a required one left out, is a problem', () => {
    expect(functionEnvironments.scan.strict().safeParse({ TABLE_NAME: 't', BUS_NAME: 'b', QUEUE_URL: 'https://q.example.com', LEASE_TTL: '60' }).success).toBe(false);
    expect(functionEnvironments['notify-jira'].strict().safeParse({ TABLE_NAME: 't', JIRA_SETTINGS: '{"projectKey":"SEC"}' }).success).toBe(false);
    expect(functionEnvironments['notify-jira'].strict().safeParse({ TABLE_NAME: 't', JIRA_SECRET_ID: 's', JIRA_SETTINGS: '{"projectKey":"SEC"}' }).success).toBe(true);
    // The product ARN's two account ids must agree: another account's product is not the default one.
    expect(functionEnvironments['notify-securityhub'].safeParse({ SECURITYHUB_PRODUCT_ARN: 'arn:aws:securityhub:eu-west-1:111122223333:product/444455556666/default' }).success).toBe(false);
  });
});

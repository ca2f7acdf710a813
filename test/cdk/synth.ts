// Synthesizes the scanner once per test file, without bundling the functions (the bundle test covers that),
// with cdk-nag AwsSolutions registered exactly as the app does.
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseConfig, type PeriscopeConfigInput } from '../../cdk/config.ts';
import { PeriscopeScanner } from '../../cdk/scanner.ts';

/** Asset bundling is skipped for every stack (CDK's own switch), so synth takes a second or two. */
export const noBundling = { 'aws:cdk:bundling-stacks': [] as string[] };

export function synthScanner(config: PeriscopeConfigInput, env?: { account: string; region: string }) {
  const app = new App({ context: noBundling });
  const stack = new Stack(app, 'Test', env ? { env } : {});
  const scanner = new PeriscopeScanner(stack, 'Scanner', { config: parseConfig(config, 'test config') });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();
  return { app, stack, scanner, assembly, template: Template.fromStack(stack) };
}

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };

/** Every IAM statement of every policy in the template. */
export function statementsOf(template: Template): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap(
    (p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
  );
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

// The CDK app: `npm run synth` / `npx cdk deploy`. Settings come from cdk/periscope.config.ts, or from the file
// named by `-c config=<path>` (a .ts module with a default export, or a .json file).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, BootstraplessSynthesizer, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { repoRoot } from './bundling.ts';
import { findingsTableOutput } from '../shared/store/table.ts';
import { parseConfig } from './config.ts';
import { PeriscopeScanner } from './scanner.ts';
import { PeriscopeTargetAccount } from './target-account.ts';

async function loadConfig(file: string): Promise<unknown> {
  if (file.endsWith('.json')) return JSON.parse(readFileSync(file, 'utf8'));
  const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  return module.default;
}

export async function buildApp(app: App = new App()): Promise<App> {
  const configFile = path.resolve(repoRoot, String(app.node.tryGetContext('config') ?? 'cdk/periscope.config.ts'));
  const config = parseConfig(await loadConfig(configFile), configFile);
  const env = process.env.CDK_DEFAULT_ACCOUNT
    ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
    : undefined;

  const stack = new Stack(app, 'Periscope', {
    description: 'Periscope: agentless security scanner for EKS clusters',
    ...(env ? { env } : {}),
  });
  const scanner = new PeriscopeScanner(stack, 'Scanner', { config });
  // `periscope fleet --stack Periscope` reads the table name from here.
  new CfnOutput(stack, findingsTableOutput, { value: scanner.table.tableName, description: 'The findings table (periscope fleet / findings --stack)' });

  // `-c scannerAccountId=<id> [-c grantClusters=a,b]`: synthesize the member-account stack too.
  const scannerAccountId = app.node.tryGetContext('scannerAccountId') as string | undefined;
  const grantClusters = String(app.node.tryGetContext('grantClusters') ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (scannerAccountId) {
    new PeriscopeTargetAccount(app, 'PeriscopeTarget', {
      scannerAccountId,
      scannerRoleName: config.scannerRoleName,
      ...(config.externalId ? { externalId: config.externalId } : {}),
      description: 'Periscope: read-only role for the central scanner (deploy in member accounts or as a StackSet)',
      // No assets and no bootstrap check: the template deploys as a StackSet into accounts never bootstrapped.
      synthesizer: new BootstraplessSynthesizer(),
      analyticsReporting: false,
      ...(grantClusters.length > 0 ? { grantClusters } : {}),
    });
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const app = await buildApp();
  app.synth();
}

// How every Lambda is bundled: one definition for the CDK construct and for scripts/bundle.ts (and its test).
import path from 'node:path';
import { aws_lambda_nodejs as nodejs } from 'aws-cdk-lib';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The functions, by name, with their entry files (relative to the repository root). */
export const lambdaFunctions = {
  'cluster-events': 'functions/cluster-events.ts',
  discover: 'functions/discover.ts',
  scan: 'functions/scan.ts',
} as const;
export type LambdaName = keyof typeof lambdaFunctions;

/** ESM bundles still meet CommonJS dependencies that `require()` Node built-ins (client-node's deps): give
 * them a real `require` (evanw/esbuild#1921). */
export const esmRequireBanner =
  "import { createRequire as __periscopeCreateRequire } from 'node:module';const require = __periscopeCreateRequire(import.meta.url);";

export const bundleTarget = 'node24';

/** esbuild options shared by both bundlers (NodejsFunction maps the same values). */
export const esbuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: bundleTarget,
  minify: true,
  sourcemap: true,
  mainFields: ['module', 'main'],
  banner: { js: esmRequireBanner },
  legalComments: 'none',
} as const;

/** The same settings for NodejsFunction: local esbuild (never Docker), ESM, the AWS SDK bundled (pinned; with
 * externalModules set, CDK adds no default externals). */
export const lambdaBundling: nodejs.BundlingOptions = {
  format: nodejs.OutputFormat.ESM,
  target: bundleTarget,
  minify: esbuildOptions.minify,
  sourceMap: esbuildOptions.sourcemap,
  mainFields: [...esbuildOptions.mainFields],
  banner: esmRequireBanner,
  externalModules: [],
  bundleAwsSDK: true,
  forceDockerBundling: false,
};

// Live clusters as a snapshot source: `--context <kubeconfig context>` (any cluster; EKS facts added when the
// server is an EKS endpoint and AWS credentials are at hand; a user whose exec plugin is `aws eks get-token` or
// `aws-iam-authenticator token` gets Periscope's own renewing EKS token instead) or
// `--eks <name> --region <r> [--role-arn <arn>]`.
import { EKSClient } from '@aws-sdk/client-eks';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { KubeConfig } from '@kubernetes/client-node';
import { Option } from 'commander';
import { existsSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  awsTokenPluginOf,
  describeEksCluster,
  eksTokenProvider,
  GET_TOKEN_SESSION_NAME,
  type AwsCredentials,
  type AwsTokenPlugin,
  type CredentialSource,
  type EksTokenProvider,
} from '../eks/index.ts';
import {
  collectSnapshot,
  kubeConfigForEndpoint,
  kubeConfigFromContext,
  type KindProgress,
  type RetryEvent,
} from '../kube/index.ts';
import { kubeConfigWithBearerTokens } from '../kube/kubeconfig.ts';
import type { ClusterRef } from '../model/cluster.ts';
import type { Snapshot } from '../model/snapshot.ts';
import { CliError } from './errors.ts';
import { printable } from '../report/table.ts';
import type { ScanExtension } from './scan-extension.ts';

export type LiveTarget =
  | { context?: string; kubeconfig?: string }
  | { eks: string; region: string; roleArn?: string };

export interface LiveOptions {
  onProgress?: (progress: KindProgress) => void;
  onRetry?: (event: RetryEvent) => void;
  /** Kinds not to list (e.g. `Secret` for the strict mode). */
  skipKinds?: readonly string[];
  pageLimit?: number;
  /** For tests and the demo: where the EKS API is, and which credentials to use (default: the SDK chain). */
  eksEndpoint?: string;
  credentials?: AwsCredentials | (() => Promise<AwsCredentials>);
  /** For tests and the demo: how the API server's host name resolves (an EKS endpoint name to a local emulator). */
  lookup?: LookupFunction;
}

export async function liveSnapshot(target: LiveTarget, options: LiveOptions = {}): Promise<Snapshot> {
  return 'eks' in target ? eksSnapshot(target, options) : contextSnapshot(target, options);
}

async function eksSnapshot(target: { eks: string; region: string; roleArn?: string }, options: LiveOptions): Promise<Snapshot> {
  const credentials = options.credentials ?? credentialsFor(target.region, target.roleArn);
  const eks = new EKSClient({
    region: target.region,
    credentials,
    ...(options.eksEndpoint ? { endpoint: options.eksEndpoint } : {}),
  });
  try {
    const described = await describeEksCluster({ eks, clusterName: target.eks });
    if (!described.clusterInfo) {
      const error = described.coverage['eks:DescribeCluster']?.error ?? 'unknown error';
      throw new CliError(`Cannot describe EKS cluster "${target.eks}" in ${target.region}: ${error}${describeHint(error, target)}`);
    }
    const status = described.clusterInfo.status;
    if (!described.endpoint || (status && status !== 'ACTIVE' && status !== 'UPDATING')) {
      throw new CliError(
        `EKS cluster "${target.eks}" in ${target.region} is ${status ?? 'not ready'} and has no reachable API yet; ` +
          'scan it again once it is ACTIVE.',
      );
    }
    const tokens = eksTokenProvider({ clusterName: target.eks, region: target.region, credentials });
    return await collectSnapshot({
      kubeConfig: kubeConfigForEndpoint(described.endpoint, tokens),
      clientOptions: { renewCredentials: () => tokens.invalidate(), ...clientExtras(options) },
      cluster: described.ref,
      clusterInfo: described.clusterInfo,
      coverage: described.coverage,
      ...collectExtras(options),
    });
  } finally {
    eks.destroy();
  }
}

async function contextSnapshot(target: { context?: string; kubeconfig?: string }, options: LiveOptions): Promise<Snapshot> {
  const missing = missingKubeconfig(target.kubeconfig);
  if (missing) throw new CliError(missing);
  let kubeConfig: KubeConfig;
  try {
    kubeConfig = kubeConfigFromContext({
      ...(target.context ? { context: target.context } : {}),
      ...(target.kubeconfig ? { file: target.kubeconfig } : {}),
    });
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  const contextName = kubeConfig.getCurrentContext();
  const cluster: ClusterRef = { id: `kubeconfig:${contextName}`, name: contextName, source: 'kubeconfig' };
  const eksCluster = eksClusterOf(kubeConfig);
  // `aws eks get-token` / `aws-iam-authenticator token`: the same token, signed here, and renewed once on a 401.
  const plugin = awsTokenPluginOf(kubeConfig.getCurrentUser()?.exec as Parameters<typeof awsTokenPluginOf>[0]);
  const tokenRegion = plugin?.region ?? eksCluster?.region;
  let awsCredentials: CredentialSource | undefined = options.credentials;
  let tokens: EksTokenProvider | undefined;
  if (plugin && tokenRegion) {
    awsCredentials ??= pluginCredentials(plugin, tokenRegion);
    tokens = eksTokenProvider({ clusterName: plugin.clusterId, region: tokenRegion, credentials: awsCredentials });
    kubeConfig = kubeConfigWithBearerTokens(kubeConfig, tokens);
  }
  let facts: Awaited<ReturnType<typeof describeEksCluster>> | undefined;
  if (eksCluster) {
    cluster.region = eksCluster.region;
    const credentials = await availableCredentials(awsCredentials);
    if (credentials) {
      const eks = new EKSClient({
        region: eksCluster.region,
        credentials,
        ...(options.eksEndpoint ? { endpoint: options.eksEndpoint } : {}),
      });
      try {
        facts = await describeEksCluster({ eks, clusterName: eksCluster.name });
      } finally {
        eks.destroy();
      }
      if (facts.ref.arn) {
        // Described: the same id (and console name) as an `--eks` scan of this cluster.
        cluster.id = facts.ref.arn;
        cluster.name = eksCluster.name;
        cluster.arn = facts.ref.arn;
        if (facts.ref.accountId) cluster.accountId = facts.ref.accountId;
      }
    }
  }
  const renew = tokens;
  return collectSnapshot({
    kubeConfig,
    clientOptions: { ...(renew ? { renewCredentials: () => renew.invalidate() } : {}), ...clientExtras(options) },
    cluster,
    ...(facts?.clusterInfo ? { clusterInfo: facts.clusterInfo } : {}),
    ...(facts ? { coverage: facts.coverage } : {}),
    ...collectExtras(options),
  });
}

function clientExtras(options: LiveOptions) {
  return {
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    ...(options.lookup ? { lookup: options.lookup } : {}),
  };
}

function collectExtras(options: LiveOptions) {
  return {
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.skipKinds ? { skipKinds: options.skipKinds } : {}),
    ...(options.pageLimit ? { pageLimit: options.pageLimit } : {}),
  };
}

const EKS_ENDPOINT = /^[0-9a-z]+\.[a-z0-9]+\.([a-z]{2}(?:-[a-z]+)+-\d)\.eks\.amazonaws\.com(?:\.cn)?$/i;

/** The EKS cluster behind the current context: its region from the endpoint host, its name from the context's
 * cluster ARN or the `aws eks get-token --cluster-name` / `aws-iam-authenticator -i` arguments. */
export function eksClusterOf(kubeConfig: KubeConfig): { name: string; region: string } | undefined {
  const current = kubeConfig.getCurrentCluster();
  if (!current) return undefined;
  const host = URL.canParse(current.server) ? new URL(current.server).hostname : '';
  const region = EKS_ENDPOINT.exec(host)?.[1];
  if (!region) return undefined;
  const fromArn = /^arn:aws[a-z-]*:eks:[^:]+:\d+:cluster\/(.+)$/.exec(current.name)?.[1];
  if (fromArn) return { name: fromArn, region };
  const args: unknown = kubeConfig.getCurrentUser()?.exec?.args;
  if (Array.isArray(args)) {
    for (const flag of ['--cluster-name', '-i', '--cluster-id']) {
      const at = args.indexOf(flag);
      const value: unknown = at >= 0 ? args[at + 1] : undefined;
      if (typeof value === 'string' && value) return { name: value, region };
    }
  }
  return undefined;
}

const kubeconfigFix = 'create one with `aws eks update-kubeconfig --name <cluster> --region <region>`, or pass --kubeconfig <file>';

/** Why no kubeconfig can be read, before client-node silently falls back to a made-up `loaded-context`. */
export function missingKubeconfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (file) return existsSync(file) ? undefined : `The kubeconfig ${file} does not exist; ${kubeconfigFix}.`;
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (listed.length > 0) {
    return listed.some((path) => existsSync(path))
      ? undefined
      : `No kubeconfig: KUBECONFIG names ${listed.join(', ')}, and none exists; ${kubeconfigFix}.`;
  }
  const home = join(env.HOME || homedir(), '.kube', 'config');
  if (existsSync(home) || env.KUBERNETES_SERVICE_HOST) return undefined;
  return `No kubeconfig: KUBECONFIG is not set and ${home} does not exist; ${kubeconfigFix}.`;
}

/** What to do about a failed eks:DescribeCluster, from the SDK's error. */
export function describeHint(error: string, target: { eks: string; region: string; roleArn?: string }): string {
  if (/CredentialsProviderError|Could not load credentials/.test(error)) {
    return '. No AWS credentials were found: set AWS_PROFILE (after `aws sso login` or `aws configure`) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, then retry.';
  }
  if (/ExpiredToken|InvalidClientTokenId|UnrecognizedClient|security token/i.test(error)) {
    return '. The AWS credentials are invalid or expired: refresh them (e.g. `aws sso login`) and retry.';
  }
  if (/AccessDenied|not authorized/i.test(error)) {
    return target.roleArn
      ? `. Your identity must be allowed sts:AssumeRole on ${target.roleArn}, and that role eks:DescribeCluster.`
      : '. Your identity needs eks:DescribeCluster (and eks:ListAccessEntries, eks:ListNodegroups, eks:ListAddons) on the cluster.';
  }
  if (/ResourceNotFound/.test(error)) {
    return `. Check the name and the region: \`aws eks list-clusters --region ${target.region}\` lists the clusters there.`;
  }
  return '';
}

function credentialsFor(region: string, roleArn: string | undefined) {
  if (!roleArn) return fromNodeProviderChain();
  return fromTemporaryCredentials({
    params: { RoleArn: roleArn, RoleSessionName: 'periscope-scan', DurationSeconds: 3600 },
    clientConfig: { region },
  });
}

/** What the exec plugin would sign with: the SDK's default chain (with the plugin's profile), as its role if any. */
function pluginCredentials(plugin: AwsTokenPlugin, region: string): CredentialSource {
  const chain = fromNodeProviderChain(plugin.profile ? { profile: plugin.profile } : {});
  if (!plugin.roleArn) return chain;
  return fromTemporaryCredentials({
    masterCredentials: chain,
    params: { RoleArn: plugin.roleArn, RoleSessionName: GET_TOKEN_SESSION_NAME },
    clientConfig: { region },
  });
}

/** The credentials when there are any (default: the SDK's chain); EKS facts are optional for a kubeconfig scan. */
async function availableCredentials(source: CredentialSource = fromNodeProviderChain()): Promise<AwsCredentials | undefined> {
  try {
    return typeof source === 'function' ? await source() : source;
  } catch {
    return undefined;
  }
}

/** One progress line per kind, e.g. `[12/25] Secret: 340 objects (1 page)`. */
export function progressLine(progress: KindProgress): string {
  const head = `[${progress.index}/${progress.total}] ${progress.kind}`;
  if (progress.phase === 'done') {
    const coverage = progress.coverage;
    const state = coverage?.complete ? '' : ` — incomplete: ${coverage?.error ?? 'unknown'}`;
    return `${head}: ${progress.count} objects${state}`;
  }
  return `${head}: ${progress.count} objects (${progress.pages} page${progress.pages === 1 ? '' : 's'})`;
}

/** Writes progress to a terminal on one rewritten line; silent when stderr is not a TTY. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): (progress: KindProgress) => void {
  return (progress) => {
    if (!stream.isTTY) return;
    // A kind's error can quote the API server, which can quote input: escaped like every terminal line.
    stream.write(`\r\u001b[2K${printable(progressLine(progress))}`);
    if (progress.phase === 'done' && progress.index === progress.total) stream.write('\n');
  };
}

/** `periscope scan --context <name>` / `--eks <name> --region <r> [--role-arn <arn>]`. */
export const liveSource: ScanExtension = {
  usage: '--context <name> | --eks <name> --region <region>',
  options(command) {
    command.addOption(new Option('--context <name>', 'scan the cluster of this kubeconfig context'));
    command.addOption(new Option('--kubeconfig <file>', 'kubeconfig file for --context (default: KUBECONFIG or ~/.kube/config)'));
    command.addOption(new Option('--eks <name>', 'scan this EKS cluster through the EKS API (needs --region)'));
    command.addOption(new Option('--region <region>', 'AWS region of the --eks cluster'));
    command.addOption(new Option('--role-arn <arn>', 'IAM role to assume for --eks (a read-only role in the cluster account)'));
  },
  selects(options) {
    return typeof options.context === 'string' || typeof options.eks === 'string';
  },
  async load(options) {
    const onProgress = terminalProgress();
    let target: LiveTarget;
    if (typeof options.eks === 'string') {
      if (typeof options.region !== 'string') throw new CliError('--eks needs --region <region> (the cluster\'s AWS region).');
      target = { eks: options.eks, region: options.region };
      if (typeof options.roleArn === 'string') target.roleArn = options.roleArn;
    } else {
      target = { context: options.context as string };
      if (typeof options.kubeconfig === 'string') target.kubeconfig = options.kubeconfig;
    }
    return { snapshot: await liveSnapshot(target, { onProgress }), errors: [] };
  },
};

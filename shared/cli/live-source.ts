// Live clusters as a snapshot source: `--context <kubeconfig context>` or `--eks <name> --region <r>
// [--role-arn <arn>]`. Connecting and reading is shared/connect's (the scan Lambda's too); this file holds the
// options, the kubeconfig checks and the messages.
import { Option } from 'commander';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { CollectSettings } from '../connect/collect-settings.ts';
import type { AwsCredentials } from '../eks/index.ts';
import { DEFAULT_MAX_PAGES_PER_KIND, type KindProgress } from '../kube/collector.ts';
import { DEFAULT_EXEC_TIMEOUT_MS } from '../kube/exec-credential.ts';
import type { Snapshot } from '../model/snapshot.ts';
import { CliError } from './errors.ts';
import { printable } from '../report/table.ts';
import type { ScanExtension } from './scan-extension.ts';

export type LiveTarget =
  | { context?: string; kubeconfig?: string }
  | { eks: string; region: string; roleArn?: string };

export interface LiveOptions extends CollectSettings {
  /** For tests and the demo: where the EKS API is, and which credentials to use (default: the SDK chain). */
  eksEndpoint?: string;
  credentials?: AwsCredentials | (() => Promise<AwsCredentials>);
}

export async function liveSnapshot(target: LiveTarget, options: LiveOptions = {}): Promise<Snapshot> {
  return 'eks' in target ? eksSnapshot(target, options) : kubeconfigSnapshot(target, options);
}

async function eksSnapshot(target: { eks: string; region: string; roleArn?: string }, options: LiveOptions): Promise<Snapshot> {
  const { eksEndpoint, credentials: given, ...settings } = options;
  // The AWS SDK and the connectors are loaded when a live scan needs them: a manifest scan starts without them
  // (a smaller heap and a faster start; they are most of what the CLI would load).
  const { credentialsFor, withEksClient } = await import('../connect/credentials.ts');
  const { EksNotConnectableError, eksClusterSnapshot } = await import('../connect/eks-cluster.ts');
  const credentials = given ?? credentialsFor(target.region, target.roleArn);
  const client = { region: target.region, credentials, ...(eksEndpoint ? { endpoint: eksEndpoint } : {}) };
  try {
    return await withEksClient(client, (eks) =>
      eksClusterSnapshot({ eks, clusterName: target.eks, region: target.region, credentials }, settings),
    );
  } catch (error) {
    if (!(error instanceof EksNotConnectableError)) throw error;
    if (error.describeError !== undefined) {
      throw new CliError(
        `Cannot describe EKS cluster "${target.eks}" in ${target.region}: ${error.describeError}${describeHint(error.describeError, target)}`,
      );
    }
    throw new CliError(
      `EKS cluster "${target.eks}" in ${target.region} is ${error.status ?? 'not ready'} and has no reachable API yet; ` +
        'scan it again once it is ACTIVE.',
    );
  }
}

async function kubeconfigSnapshot(target: { context?: string; kubeconfig?: string }, options: LiveOptions): Promise<Snapshot> {
  const missing = missingKubeconfig(target.kubeconfig);
  if (missing) throw new CliError(missing);
  const { kubeConfigFromContext } = await import('../kube/kubeconfig.ts');
  const { contextSnapshot } = await import('../connect/kube-context.ts');
  let kubeConfig;
  try {
    kubeConfig = kubeConfigFromContext({
      ...(target.context ? { context: target.context } : {}),
      ...(target.kubeconfig ? { file: target.kubeconfig } : {}),
    });
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  const { eksEndpoint, credentials, ...given } = options;
  // An exec plugin runs in the user's environment (PATH, HOME, its own variables), as kubectl runs it.
  const settings = { execEnvironment: process.env, ...given };
  return contextSnapshot({ kubeConfig, ...(credentials ? { credentials } : {}), ...(eksEndpoint ? { eksEndpoint } : {}) }, settings);
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
    command.addOption(
      new Option('--timeout <seconds>', 'time budget for reading a live cluster; kinds not read by then are reported incomplete')
        .default(String(DEFAULT_LIVE_TIMEOUT_SECONDS)),
    );
    command.addOption(
      new Option('--exec-timeout <seconds>', "how long the kubeconfig user's exec plugin may run before it is killed")
        .default(String(DEFAULT_EXEC_TIMEOUT_MS / 1000)),
    );
    command.addOption(
      new Option('--max-pages <n>', 'pages of one kind read at most (500 objects each); a longer list is reported incomplete')
        .default(String(DEFAULT_MAX_PAGES_PER_KIND)),
    );
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
    const bounds = {
      deadlineMs: positive(options.timeout, '--timeout', 'seconds') * 1000,
      execTimeoutMs: positive(options.execTimeout, '--exec-timeout', 'seconds') * 1000,
      maxPagesPerKind: positive(options.maxPages, '--max-pages', 'pages', true),
    };
    return { snapshot: await liveSnapshot(target, { onProgress, ...bounds }), errors: [] };
  },
};

/** Five minutes: a large cluster reads in well under one (see BENCHMARKS.md); a hanging API server costs no more. */
export const DEFAULT_LIVE_TIMEOUT_SECONDS = 300;

function positive(value: unknown, option: string, unit: string, whole = false): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number) || number <= 0 || (whole && !Number.isInteger(number))) {
    throw new CliError(`${option} takes a positive ${whole ? 'whole ' : ''}number of ${unit}, not "${String(value)}".`);
  }
  return number;
}

